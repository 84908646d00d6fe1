/**
 * The Gap sandbox's control routes, for tests and the chat console (JSON): the recorded
 * conversation (GET/DELETE /_sandbox/messages, GET /_sandbox/conversation, GET /_sandbox/typing),
 * the citizen's side (POST /_sandbox/deliver posts a Gap-style form to the bot's webhook), the
 * webhook (GET/POST /_sandbox/webhook), send faults (POST/DELETE /_sandbox/faults); GET / serves
 * the console.
 */
import type { Hono } from 'hono';
import * as v from 'valibot';
import { fieldsOf, parseJson, randomId } from '../kit/basics.ts';
import { serveChatJournal } from '../kit/journal.ts';
import { deliverToWebhook } from '../kit/webhook.ts';
import { GAP_CONSOLE_HTML } from './console.html.ts';
import { FaultBody, type GapCitizenMessage, type GapState, NonEmpty } from './state.ts';

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

export function serveGapControl(app: Hono, state: GapState): void {
  const { journal, typing, faults } = state;
  const deliveryTimeoutMs = state.options.deliveryTimeoutMs ?? 15_000;

  serveChatJournal(app, journal, typing, { bot: 'bot', all: ['bot', 'citizen', 'callback'] });

  app.get('/_sandbox/webhook', (c) => c.json({ url: state.webhookUrl }));
  app.post('/_sandbox/webhook', async (c) => {
    const body = v.safeParse(WebhookBody, parseJson(await c.req.text()));
    if (!body.success) return c.json({ error: 'url must be an http(s) URL' }, 400);
    state.webhookUrl = body.output.url;
    return c.json({ url: state.webhookUrl });
  });

  app.post('/_sandbox/deliver', async (c) => {
    const body = v.safeParse(DeliverBody, parseJson(await c.req.text()));
    if (!body.success) return c.json({ error: `missing or invalid field(s): ${fieldsOf(body.issues)}` }, 400);
    const webhookUrl = state.webhookUrl;
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
    const headers = { 'content-type': 'application/x-www-form-urlencoded' };
    const delivery = await deliverToWebhook(webhookUrl, { body: form, headers }, deliveryTimeoutMs);
    return c.json({ id: entry.id, ...delivery }, delivery.error ? 502 : 200);
  });

  faults.serve(
    app,
    FaultBody,
    'expected {status, retryAfter?, chat_id?} or {timeoutMs, chat_id?}, each with count?, forMs? and rate?',
  );

  app.get('/', (c) => c.html(GAP_CONSOLE_HTML));
}
