// Gap sandbox: a fake of Gap's bot API (sendMessage, answerCallback) plus the citizen's side of the
// chat (delivery of Gap-style webhook posts) and a web chat console, so a developer can talk to the
// bot without a Gap account. Owns the recorded conversation and the injected send faults.
//
// Bot API (header `token`, form body):  POST /sendMessage, POST /sendAction, POST /answerCallback
// Control (JSON):  GET/DELETE /_sandbox/messages, GET /_sandbox/conversation, GET /_sandbox/typing,
//                  POST /_sandbox/deliver,
//                  GET/POST /_sandbox/webhook, POST/DELETE /_sandbox/faults;  GET / the console.
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as v from 'valibot';
import { GAP_CONSOLE_HTML } from './gap-console.html.ts';
import { Journal, serveChatJournal, type TypingEntry } from './sandbox-journal.ts';
import { FaultQueue, FaultReach, fieldsOf, parseJson, randomId, sameSecret, sleep } from './sandbox-kit.ts';
import { listen, type RunningServer } from './serve.ts';

export type { RunningServer };

export interface GapSandboxOptions {
  port?: number;
  host?: string;
  token: string;
  webhookUrl?: string;
  deliveryTimeoutMs?: number; // how long /_sandbox/deliver waits for the bot, default 15000
}

export type ReplyKeyboard = v.InferOutput<typeof ReplyKeyboardSchema>;
export type InlineKeyboard = v.InferOutput<typeof InlineKeyboardSchema>;

/** What the bot sent with sendMessage. */
export interface GapBotMessage {
  side: 'bot';
  id: number;
  chat_id: string;
  type: string;
  data: string;
  reply_keyboard?: ReplyKeyboard;
  inline_keyboard?: InlineKeyboard;
  time: string;
}
/** What the sandbox delivered to the bot on the citizen's behalf (the raw form fields). */
export interface GapCitizenMessage {
  side: 'citizen';
  id: number;
  chat_id: string;
  type: string;
  data?: string;
  from: string;
  time: string;
}
/** The bot's answerCallback (a toast or alert on the citizen's screen). */
export interface GapCallbackAnswer {
  side: 'callback';
  id: number;
  chat_id: string;
  callback_id: string;
  text: string;
  show_alert: boolean;
  time: string;
}
export type GapEntry = GapBotMessage | GapCitizenMessage | GapCallbackAnswer;

const SEND_TYPES = ['text', 'image', 'video', 'audio', 'voice', 'file', 'contact', 'location'] as const;
const INBOUND_TYPES = [
  'text',
  'join',
  'leave',
  'image',
  'video',
  'audio',
  'file',
  'voice',
  'contact',
  'location',
  'triggerButton',
  'submitForm',
  'invoiceCallback',
  'payCallback',
] as const;

const NonEmpty = v.pipe(v.string(), v.trim(), v.nonEmpty());
const ReplyKeyboardSchema = v.object({
  // Each button is a one-key object {"<value sent back>": "<label>"}.
  keyboard: v.array(
    v.array(
      v.pipe(
        v.record(v.string(), v.string()),
        v.check((b) => Object.keys(b).length === 1),
      ),
    ),
  ),
  once: v.optional(v.boolean()),
  selective: v.optional(v.boolean()),
});
const InlineKeyboardSchema = v.array(
  v.array(
    v.looseObject({
      text: v.string(),
      cb_data: v.optional(v.string()),
      url: v.optional(v.string()),
      open_in: v.optional(v.string()),
    }),
  ),
);
const SendForm = v.object({
  chat_id: NonEmpty,
  type: v.picklist(SEND_TYPES),
  data: v.pipe(v.string(), v.nonEmpty()), // text kept as sent
  reply_keyboard: v.optional(v.string()),
  inline_keyboard: v.optional(v.string()),
  form: v.optional(v.string()),
});
// `typing` is the only action Gap has (messengers.md §1.2).
const ActionForm = v.object({ chat_id: NonEmpty, type: v.literal('typing') });
const CallbackForm = v.object({
  chat_id: NonEmpty,
  callback_id: NonEmpty,
  text: v.optional(v.string(), ''),
  show_alert: v.optional(v.picklist(['true', 'false']), 'false'),
});
const DeliverBody = v.object({
  chat_id: v.union([NonEmpty, v.pipe(v.number(), v.integer(), v.transform(String))]),
  type: v.optional(v.picklist(INBOUND_TYPES), 'text'),
  // A string is sent as is; an object is JSON-encoded (contact, location, triggerButton...).
  data: v.optional(v.union([v.string(), v.record(v.string(), v.unknown())])),
  from: v.optional(
    v.union([v.string(), v.looseObject({ id: v.union([v.number(), v.string()]), name: v.string(), user: v.string() })]),
  ),
});
const WebhookBody = v.object({ url: v.pipe(v.string(), v.url(), v.regex(/^https?:\/\//)) });
// `chat_id` limits a fault to one chat, so tests that share the sandbox do not trip each other.
const FaultChat = v.optional(NonEmpty);
const FaultBody = v.union([
  v.strictObject({
    status: v.pipe(v.number(), v.integer(), v.minValue(400), v.maxValue(599)),
    ...FaultReach,
    retryAfter: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    chat_id: FaultChat,
  }),
  v.strictObject({
    timeoutMs: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(600_000)),
    ...FaultReach,
    chat_id: FaultChat,
  }),
]);
type Fault = v.InferOutput<typeof FaultBody>;

/** Parses a JSON-in-a-form-field keyboard; `undefined` in, `undefined` out; `null` when invalid. */
function parseKeyboard<S extends v.GenericSchema>(
  schema: S,
  raw: string | undefined,
): v.InferOutput<S> | undefined | null {
  if (raw === undefined || raw === '') return undefined;
  const parsed = v.safeParse(schema, parseJson(raw));
  return parsed.success ? parsed.output : null;
}

export function createGapSandbox(options: GapSandboxOptions): Hono {
  const deliveryTimeoutMs = options.deliveryTimeoutMs ?? 15_000;
  let webhookUrl: string | null = options.webhookUrl ?? null;
  const journal = new Journal<GapEntry>();
  /** Chats shown "typing…", kept apart from the conversation. */
  const typing = new Journal<TypingEntry>();
  const faults = new FaultQueue<Fault>((fault) => fault.chat_id);
  const app = new Hono();

  const authorised = (token: string | undefined) => sameSecret(token ?? '', options.token);
  const forbidden = { error: 'invalid token' };

  app.post('/sendMessage', async (c) => {
    if (!authorised(c.req.header('token'))) return c.json(forbidden, 403);
    const form = v.safeParse(SendForm, await c.req.parseBody());
    const injected = faults.take(form.success ? form.output.chat_id : '');
    if (injected && 'status' in injected) {
      if (injected.retryAfter !== undefined) c.header('Retry-After', String(injected.retryAfter));
      return c.json({ error: `injected fault ${injected.status}` }, injected.status as ContentfulStatusCode);
    }
    if (!form.success) return c.json({ error: `missing or invalid field(s): ${fieldsOf(form.issues)}` }, 400);
    const replyKeyboard = parseKeyboard(ReplyKeyboardSchema, form.output.reply_keyboard);
    const inlineKeyboard = parseKeyboard(InlineKeyboardSchema, form.output.inline_keyboard);
    if (replyKeyboard === null) return c.json({ error: 'reply_keyboard is not a valid keyboard JSON' }, 400);
    if (inlineKeyboard === null) return c.json({ error: 'inline_keyboard is not a valid keyboard JSON' }, 400);
    const { chat_id, type, data } = form.output;
    const message = journal.record<GapBotMessage>({
      side: 'bot',
      chat_id,
      type,
      data,
      ...(replyKeyboard && { reply_keyboard: replyKeyboard }),
      ...(inlineKeyboard && { inline_keyboard: inlineKeyboard }),
    });
    // A timeout fault: the message is accepted and recorded, but the answer comes late (an ambiguous send).
    if (injected && 'timeoutMs' in injected) await sleep(injected.timeoutMs);
    return c.json({ id: message.id });
  });

  app.post('/sendAction', async (c) => {
    if (!authorised(c.req.header('token'))) return c.json(forbidden, 403);
    const form = v.safeParse(ActionForm, await c.req.parseBody());
    if (!form.success) return c.json({ error: `missing or invalid field(s): ${fieldsOf(form.issues)}` }, 400);
    typing.record<TypingEntry>({ side: 'typing', chat_id: form.output.chat_id });
    return c.json({});
  });

  app.post('/answerCallback', async (c) => {
    if (!authorised(c.req.header('token'))) return c.json(forbidden, 403);
    const form = v.safeParse(CallbackForm, await c.req.parseBody());
    if (!form.success) return c.json({ error: `missing or invalid field(s): ${fieldsOf(form.issues)}` }, 400);
    const { chat_id, callback_id, text, show_alert } = form.output;
    journal.record<GapCallbackAnswer>({
      side: 'callback',
      chat_id,
      callback_id,
      text,
      show_alert: show_alert === 'true',
    });
    return c.json({});
  });

  serveChatJournal(app, journal, typing, { bot: 'bot', all: ['bot', 'citizen', 'callback'] });

  app.get('/_sandbox/webhook', (c) => c.json({ url: webhookUrl }));
  app.post('/_sandbox/webhook', async (c) => {
    const body = v.safeParse(WebhookBody, parseJson(await c.req.text()));
    if (!body.success) return c.json({ error: 'url must be an http(s) URL' }, 400);
    webhookUrl = body.output.url;
    return c.json({ url: webhookUrl });
  });

  app.post('/_sandbox/deliver', async (c) => {
    const body = v.safeParse(DeliverBody, parseJson(await c.req.text()));
    if (!body.success) return c.json({ error: `missing or invalid field(s): ${fieldsOf(body.issues)}` }, 400);
    if (!webhookUrl) return c.json({ error: 'no webhook URL: set one with POST /_sandbox/webhook' }, 409);
    const { chat_id, type } = body.output;
    let data = body.output.data;
    if (typeof data === 'object') {
      // Gap gives every button press a fresh callback id; let callers leave it out.
      if (type === 'triggerButton' && data.callback_id === undefined) data = { ...data, callback_id: randomId() };
      data = JSON.stringify(data);
    }
    const numericChat = Number(chat_id);
    const fromValue = body.output.from ?? {
      id: Number.isSafeInteger(numericChat) ? 1_000_000 + numericChat : 1_000_000,
      name: 'شهروند آزمایشی',
      user: 'sandbox_citizen',
    };
    const from = typeof fromValue === 'string' ? fromValue : JSON.stringify(fromValue);
    const form = new URLSearchParams({ chat_id, type });
    if (data !== undefined) form.set('data', data);
    form.set('from', from);
    const entry = journal.record<GapCitizenMessage>({
      side: 'citizen',
      chat_id,
      type,
      ...(data !== undefined && { data }),
      from,
    });
    const started = performance.now();
    try {
      const res = await fetch(webhookUrl, {
        method: 'POST',
        body: form,
        signal: AbortSignal.timeout(deliveryTimeoutMs),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      await res.arrayBuffer(); // drain, so the connection is reused
      return c.json({ id: entry.id, status: res.status, ms: Math.round(performance.now() - started) });
    } catch (err) {
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      return c.json(
        {
          id: entry.id,
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
  );

  app.get('/', (c) => c.html(GAP_CONSOLE_HTML));
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  return app;
}

export function startGapSandbox(options: GapSandboxOptions): Promise<RunningServer> {
  return listen(createGapSandbox(options), options.port ?? 0, options.host ?? '127.0.0.1');
}
