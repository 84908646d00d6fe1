/**
 * The Bot API sandbox's fake of a Telegram-style Bot API (token in the path, JSON or form bodies):
 * POST /bot<token>/sendMessage, /sendChatAction, /answerCallbackQuery, /setWebhook (deliveries then
 * go to its url, with its secret_token), GET|POST /bot<token>/getWebhookInfo. Answers in the Bot
 * API's envelope, ids read and written exactly, even beyond 2^53.
 */
import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as v from 'valibot';
import { parseExactJson, stringifyExact } from '../../../src/channels/exact-json.ts';
import { fieldsOf, parseJson, sleep } from '../kit/basics.ts';
import { tokenGuard } from '../kit/guard.ts';
import type { TypingEntry } from '../kit/journal.ts';
import { type BotApiBotMessage, type BotApiCallbackAnswer, type BotApiState, Id, ReplyMarkupSchema } from './state.ts';

const Flag = v.optional(
  v.pipe(
    v.union([v.boolean(), v.picklist(['true', 'false'])]),
    v.transform((f) => f === true || f === 'true'),
  ),
  false,
);
const SendBody = v.object({
  chat_id: Id,
  text: v.string(),
  // A JSON-serialised string in forms, an object in JSON bodies: both as the real APIs take them.
  reply_markup: v.optional(v.unknown()),
  parse_mode: v.optional(v.string()),
});
const ActionBody = v.object({ chat_id: Id, action: v.string() });
const CallbackBody = v.object({
  callback_query_id: v.pipe(v.string(), v.nonEmpty()),
  text: v.optional(v.string(), ''),
  show_alert: Flag,
});
/** A list the real APIs take as a JSON array, or as a JSON-serialised string in forms. */
const StringList = v.pipe(
  v.union([v.array(v.string()), v.pipe(v.string(), v.parseJson(), v.array(v.string()))]),
  v.transform((list) => [...list]),
);
const SetWebhookBody = v.object({
  // Empty: the webhook is removed.
  url: v.union([v.literal(''), v.pipe(v.string(), v.url(), v.regex(/^https?:\/\//))]),
  secret_token: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,256}$/))),
  allowed_updates: v.optional(StringList),
});

export const seconds = () => Math.floor(Date.now() / 1000);

/** An answer in the Bot API's envelope, ids written exactly. */
function answer(result: unknown, status: ContentfulStatusCode = 200): Response {
  return new Response(stringifyExact({ ok: true, result }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}
function refusal(status: number, description: string, retryAfter?: number): Response {
  const parameters = retryAfter === undefined ? undefined : { retry_after: retryAfter };
  return new Response(JSON.stringify({ ok: false, error_code: status, description, parameters }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/** The parameters of a call, from a JSON or form body (the real APIs take both). */
async function paramsOf(request: Request): Promise<unknown> {
  const raw = await request.text();
  if ((request.headers.get('content-type') ?? '').includes('json')) return parseJson(raw, parseExactJson);
  return Object.fromEntries(new URLSearchParams(raw));
}

export function serveBotApi(app: Hono, state: BotApiState): void {
  const { options, journal, typing, faults } = state;
  const textLimit = options.textLimit ?? 4096;
  const authorised = tokenGuard(
    `bot${options.token}`,
    (c) => c.req.param('bot'),
    () => refusal(401, 'Unauthorized'),
  );

  app.post('/:bot{bot[^/]+}/sendMessage', authorised, async (c) => {
    const body = v.safeParse(SendBody, await paramsOf(c.req.raw));
    const injected = faults.take(body.success ? body.output.chat_id : '');
    if (injected && 'status' in injected) {
      const retryAfter = injected.status === 429 ? injected.retryAfter : undefined;
      const description =
        injected.status === 429
          ? `Too Many Requests: retry after ${retryAfter ?? 0}`
          : `injected fault ${injected.status}`;
      return refusal(injected.status, description, retryAfter);
    }
    if (!body.success) return refusal(400, `Bad Request: invalid field(s): ${fieldsOf(body.issues)}`);
    const { chat_id, text } = body.output;
    if (!text.trim()) return refusal(400, 'Bad Request: message text is empty');
    if (text.length > textLimit) return refusal(400, 'Bad Request: message is too long');
    const raw = body.output.reply_markup;
    const markup =
      raw === undefined
        ? undefined
        : v.safeParse(ReplyMarkupSchema, typeof raw === 'string' ? parseJson(raw, parseExactJson) : raw);
    if (markup && !markup.success) return refusal(400, "Bad Request: can't parse reply keyboard markup JSON object");
    const message = journal.record<BotApiBotMessage>({
      side: 'bot',
      chat_id,
      text,
      ...(markup && { reply_markup: markup.output }),
    });
    options.onBotMessage?.(message);
    // A timeout fault: the message is accepted and recorded, but the answer comes late (an ambiguous send).
    if (injected && 'timeoutMs' in injected) await sleep(injected.timeoutMs);
    return answer({ message_id: message.id, chat: { id: BigInt(chat_id), type: 'private' }, date: seconds(), text });
  });

  app.post('/:bot{bot[^/]+}/sendChatAction', authorised, async (c) => {
    const body = v.safeParse(ActionBody, await paramsOf(c.req.raw));
    if (!body.success) return refusal(400, `Bad Request: invalid field(s): ${fieldsOf(body.issues)}`);
    typing.record<TypingEntry>({ side: 'typing', chat_id: body.output.chat_id });
    return answer(true);
  });

  app.post('/:bot{bot[^/]+}/answerCallbackQuery', authorised, async (c) => {
    const body = v.safeParse(CallbackBody, await paramsOf(c.req.raw));
    if (!body.success) return refusal(400, `Bad Request: invalid field(s): ${fieldsOf(body.issues)}`);
    const { callback_query_id, text, show_alert } = body.output;
    const chatId = state.pressedIn.get(callback_query_id) ?? null;
    journal.record<BotApiCallbackAnswer>({ side: 'callback', chat_id: chatId, callback_query_id, text, show_alert });
    return answer(true);
  });

  app.post('/:bot{bot[^/]+}/setWebhook', authorised, async (c) => {
    const body = v.safeParse(SetWebhookBody, await paramsOf(c.req.raw));
    if (!body.success) return refusal(400, `Bad Request: invalid field(s): ${fieldsOf(body.issues)}`);
    const { url, secret_token, allowed_updates } = body.output;
    state.webhook = {
      url,
      ...(secret_token && { secretToken: secret_token }),
      ...(allowed_updates && { allowedUpdates: allowed_updates }),
    };
    return Response.json({ ok: true, result: true, description: url ? 'Webhook was set' : 'Webhook was deleted' });
  });

  // Telegram's answer leaves the secret token out, and so does this one.
  app.on(['GET', 'POST'], '/:bot{bot[^/]+}/getWebhookInfo', authorised, () => {
    const allowed = state.webhook?.allowedUpdates;
    return answer({
      url: state.webhookUrl ?? '',
      has_custom_certificate: false,
      pending_update_count: 0,
      ...(allowed && { allowed_updates: allowed }),
    });
  });

  app.post('/:bot{bot[^/]+}/:method', authorised, () => refusal(404, 'Not Found: method not found'));
}
