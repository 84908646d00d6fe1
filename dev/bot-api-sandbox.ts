// Bot API sandbox: a fake of a Telegram-style Bot API (Soroush Plus, Bale: one fake, started once per
// messenger with its own token) plus the citizen's side of the chat (delivery of JSON Updates to the
// bot's webhook), so a developer can talk to the bot without an account. Owns the recorded
// conversation and the injected send faults. Ids are read and written exactly, even beyond 2^53.
//
// Bot API (token in the path, JSON or form body):  POST /bot<token>/sendMessage, POST /bot<token>/answerCallbackQuery,
//   POST /bot<token>/sendChatAction,
//   POST /bot<token>/setWebhook (deliveries then go to its url, with its secret_token),
//   GET|POST /bot<token>/getWebhookInfo
// Control (JSON):  GET/DELETE /_sandbox/messages, GET /_sandbox/conversation, GET /_sandbox/typing,
//                  POST /_sandbox/deliver,
//                  POST/DELETE /_sandbox/faults
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as v from 'valibot';
import { parseExactJson, stringifyExact } from '../src/channels/exact-json.ts';
import { Journal, serveChatJournal, type TypingEntry } from './sandbox-journal.ts';
import { FaultQueue, FaultReach, fieldsOf, parseJson, randomId, sameSecret, sleep } from './sandbox-kit.ts';
import { listen, type RunningServer } from './serve.ts';

export type { RunningServer };

export interface BotApiSandboxOptions {
  port?: number;
  host?: string;
  token: string;
  webhookUrl?: string;
  /** Sent as X-Telegram-Bot-Api-Secret-Token with every delivered update, when set. */
  secretToken?: string;
  /** The longest text sendMessage accepts, default 4096 (Telegram's). */
  textLimit?: number;
  deliveryTimeoutMs?: number; // how long /_sandbox/deliver waits for the bot, default 15000
  /** Told of every message the bot sends, as it is recorded (a benchmark's citizens wait on it). */
  onBotMessage?: (message: BotApiBotMessage) => void;
}

export type ReplyMarkup = v.InferOutput<typeof ReplyMarkupSchema>;

/** What the bot sent with sendMessage. */
export interface BotApiBotMessage {
  side: 'bot';
  id: number;
  chat_id: string;
  text: string;
  reply_markup?: ReplyMarkup;
  time: string;
}
/** An update the sandbox delivered to the bot on the citizen's behalf. */
export interface BotApiCitizenUpdate {
  side: 'citizen';
  id: number;
  chat_id: string;
  update_id: number;
  update: unknown;
  time: string;
}
/** The bot's answerCallbackQuery; the chat is known when the sandbox delivered the press itself. */
export interface BotApiCallbackAnswer {
  side: 'callback';
  id: number;
  chat_id: string | null;
  callback_query_id: string;
  text: string;
  show_alert: boolean;
  time: string;
}
export type BotApiEntry = BotApiBotMessage | BotApiCitizenUpdate | BotApiCallbackAnswer;

/** Integers arrive as their digits (parseExactJson); form fields are strings anyway. */
const Id = v.pipe(v.union([v.string(), v.number()]), v.transform(String), v.regex(/^-?\d{1,20}$/));
const Flag = v.optional(
  v.pipe(
    v.union([v.boolean(), v.picklist(['true', 'false'])]),
    v.transform((f) => f === true || f === 'true'),
  ),
  false,
);

const KeyboardButton = v.object({
  text: v.pipe(v.string(), v.nonEmpty()),
  request_contact: v.optional(v.boolean()),
  request_location: v.optional(v.boolean()),
});
const InlineButton = v.object({
  text: v.pipe(v.string(), v.nonEmpty()),
  callback_data: v.optional(v.pipe(v.string(), v.nonEmpty())),
  url: v.optional(v.string()),
});
const ReplyMarkupSchema = v.union([
  v.object({
    keyboard: v.array(v.array(KeyboardButton)),
    resize_keyboard: v.optional(v.boolean()),
    one_time_keyboard: v.optional(v.boolean()),
    is_persistent: v.optional(v.boolean()),
    selective: v.optional(v.boolean()),
  }),
  v.object({ inline_keyboard: v.array(v.array(InlineButton)) }),
  v.object({ remove_keyboard: v.literal(true), selective: v.optional(v.boolean()) }),
]);
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
const NonEmpty = v.pipe(v.string(), v.nonEmpty());
const DeliverBody = v.pipe(
  v.object({
    chat_id: Id,
    /** The sender; in a private chat the user's id is the chat's, which is the default. */
    from_id: v.optional(Id),
    text: v.optional(NonEmpty),
    callback_data: v.optional(NonEmpty),
    /** A shared card: `user_id` defaults to the sender (their own number); null leaves it out. */
    contact: v.optional(
      v.object({ phone_number: NonEmpty, first_name: v.optional(NonEmpty), user_id: v.optional(v.nullable(Id)) }),
    ),
  }),
  v.check(
    (body) => [body.text, body.callback_data, body.contact].filter((x) => x !== undefined).length === 1,
    'exactly one of text, callback_data, contact',
  ),
);
/** A number in a control body; JSON integers arrive as their digits, like ids. */
const Int = v.pipe(
  v.union([v.number(), v.pipe(v.string(), v.regex(/^-?\d{1,15}$/))]),
  v.transform(Number),
  v.integer(),
);
// `chat_id` limits a fault to one chat, so tests that share the sandbox do not trip each other.
const FaultChat = v.optional(Id);
const FaultBody = v.union([
  v.strictObject({
    status: v.pipe(Int, v.minValue(400), v.maxValue(599)),
    ...FaultReach,
    retryAfter: v.optional(v.pipe(Int, v.minValue(0))),
    chat_id: FaultChat,
  }),
  v.strictObject({ timeoutMs: v.pipe(Int, v.minValue(0), v.maxValue(600_000)), ...FaultReach, chat_id: FaultChat }),
]);
type Fault = v.InferOutput<typeof FaultBody>;

const seconds = () => Math.floor(Date.now() / 1000);

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

export function createBotApiSandbox(options: BotApiSandboxOptions): Hono {
  const deliveryTimeoutMs = options.deliveryTimeoutMs ?? 15_000;
  const textLimit = options.textLimit ?? 4096;
  const journal = new Journal<BotApiEntry>();
  /** Chats shown "typing…", kept apart from the conversation. */
  const typing = new Journal<TypingEntry>();
  let nextUpdateId = 1;
  const faults = new FaultQueue<Fault>((fault) => fault.chat_id);
  /** What setWebhook registered; until it is called, the options' webhook URL and secret token. */
  let webhook: { url: string; secretToken?: string; allowedUpdates?: string[] } | null = null;
  const webhookUrl = () => (webhook ? webhook.url || undefined : options.webhookUrl);
  const secretToken = () => (webhook ? webhook.secretToken : options.secretToken);
  /** Which chat each delivered button press came from, so its answer can be shown there. */
  const pressedIn = new Map<string, string>();
  const app = new Hono();

  /** The parameters of a call, from a JSON or form body (the real APIs take both). */
  async function paramsOf(request: Request): Promise<unknown> {
    const raw = await request.text();
    if ((request.headers.get('content-type') ?? '').includes('json')) return parseJson(raw, parseExactJson);
    return Object.fromEntries(new URLSearchParams(raw));
  }

  app.post('/:bot{bot[^/]+}/sendMessage', async (c) => {
    if (!sameSecret(c.req.param('bot'), `bot${options.token}`)) return refusal(401, 'Unauthorized');
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

  app.post('/:bot{bot[^/]+}/sendChatAction', async (c) => {
    if (!sameSecret(c.req.param('bot'), `bot${options.token}`)) return refusal(401, 'Unauthorized');
    const body = v.safeParse(ActionBody, await paramsOf(c.req.raw));
    if (!body.success) return refusal(400, `Bad Request: invalid field(s): ${fieldsOf(body.issues)}`);
    typing.record<TypingEntry>({ side: 'typing', chat_id: body.output.chat_id });
    return answer(true);
  });

  app.post('/:bot{bot[^/]+}/answerCallbackQuery', async (c) => {
    if (!sameSecret(c.req.param('bot'), `bot${options.token}`)) return refusal(401, 'Unauthorized');
    const body = v.safeParse(CallbackBody, await paramsOf(c.req.raw));
    if (!body.success) return refusal(400, `Bad Request: invalid field(s): ${fieldsOf(body.issues)}`);
    const { callback_query_id, text, show_alert } = body.output;
    const chatId = pressedIn.get(callback_query_id) ?? null;
    journal.record<BotApiCallbackAnswer>({ side: 'callback', chat_id: chatId, callback_query_id, text, show_alert });
    return answer(true);
  });

  app.post('/:bot{bot[^/]+}/setWebhook', async (c) => {
    if (!sameSecret(c.req.param('bot'), `bot${options.token}`)) return refusal(401, 'Unauthorized');
    const body = v.safeParse(SetWebhookBody, await paramsOf(c.req.raw));
    if (!body.success) return refusal(400, `Bad Request: invalid field(s): ${fieldsOf(body.issues)}`);
    const { url, secret_token, allowed_updates } = body.output;
    webhook = {
      url,
      ...(secret_token && { secretToken: secret_token }),
      ...(allowed_updates && { allowedUpdates: allowed_updates }),
    };
    return Response.json({ ok: true, result: true, description: url ? 'Webhook was set' : 'Webhook was deleted' });
  });

  // Telegram's answer leaves the secret token out, and so does this one.
  app.on(['GET', 'POST'], '/:bot{bot[^/]+}/getWebhookInfo', (c) => {
    if (!sameSecret(c.req.param('bot'), `bot${options.token}`)) return refusal(401, 'Unauthorized');
    const url = webhookUrl() ?? '';
    const allowed = webhook?.allowedUpdates;
    return answer({
      url,
      has_custom_certificate: false,
      pending_update_count: 0,
      ...(allowed && { allowed_updates: allowed }),
    });
  });

  app.post('/:bot{bot[^/]+}/:method', (c) =>
    sameSecret(c.req.param('bot'), `bot${options.token}`)
      ? refusal(404, 'Not Found: method not found')
      : refusal(401, 'Unauthorized'),
  );

  serveChatJournal(app, journal, typing, { bot: 'bot', all: ['bot', 'citizen', 'callback'] });

  app.post('/_sandbox/deliver', async (c) => {
    const body = v.safeParse(DeliverBody, parseJson(await c.req.text(), parseExactJson));
    if (!body.success) return c.json({ error: `missing or invalid field(s): ${fieldsOf(body.issues)}` }, 400);
    const target = webhookUrl();
    if (!target) return c.json({ error: 'no webhook URL: start the sandbox with webhookUrl, or call setWebhook' }, 409);
    const { chat_id, from_id, text, callback_data, contact } = body.output;
    const chat = { id: BigInt(chat_id), type: 'private' };
    const from = { id: BigInt(from_id ?? chat_id), is_bot: false, first_name: 'شهروند آزمایشی' };
    const updateId = nextUpdateId++;
    const messageId = journal.nextId; // the id the citizen's entry gets below
    let update: Record<string, unknown>;
    if (callback_data !== undefined) {
      // Pressed under the bot's latest message in the chat, as a citizen would.
      const under = journal.list(0, ['bot'], (e) => e.chat_id === chat_id).at(-1)?.id ?? 0;
      const id = randomId();
      pressedIn.set(id, chat_id);
      update = {
        update_id: updateId,
        callback_query: {
          id,
          from,
          chat_instance: chat_id,
          data: callback_data,
          message: { message_id: under, date: seconds(), chat },
        },
      };
    } else {
      const card = contact && {
        phone_number: contact.phone_number,
        first_name: contact.first_name ?? from.first_name,
        ...(contact.user_id !== null && { user_id: BigInt(contact.user_id ?? from_id ?? chat_id) }),
      };
      update = {
        update_id: updateId,
        message: {
          message_id: messageId,
          date: seconds(),
          chat,
          from,
          ...(text !== undefined && { text }),
          ...(card && { contact: card }),
        },
      };
    }
    const json = stringifyExact(update);
    const entry = journal.record<BotApiCitizenUpdate>({
      side: 'citizen',
      chat_id,
      update_id: updateId,
      update: parseExactJson(json),
    });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const token = secretToken();
    if (token) headers['x-telegram-bot-api-secret-token'] = token;
    const started = performance.now();
    try {
      const res = await fetch(target, {
        method: 'POST',
        body: json,
        headers,
        signal: AbortSignal.timeout(deliveryTimeoutMs),
      });
      await res.arrayBuffer(); // drain, so the connection is reused
      return c.json({
        id: entry.id,
        update_id: updateId,
        status: res.status,
        ms: Math.round(performance.now() - started),
      });
    } catch (err) {
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      return c.json(
        {
          id: entry.id,
          update_id: updateId,
          status: 0,
          ms: Math.round(performance.now() - started),
          error: timedOut ? 'the webhook did not answer in time' : 'the webhook is unreachable',
        },
        502,
      );
    }
  });

  faults.serve(
    app,
    FaultBody,
    'expected {status, retryAfter?, chat_id?} or {timeoutMs, chat_id?}, each with count?, forMs? and rate?',
    parseExactJson,
  );

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  return app;
}

export function startBotApiSandbox(options: BotApiSandboxOptions): Promise<RunningServer> {
  return listen(createBotApiSandbox(options), options.port ?? 0, options.host ?? '127.0.0.1');
}
