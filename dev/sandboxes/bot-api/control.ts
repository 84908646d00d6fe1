/**
 * The Bot API sandbox's control routes, for tests and developers (JSON): the recorded conversation
 * (GET/DELETE /_sandbox/messages, GET /_sandbox/conversation, GET /_sandbox/typing), the citizen's
 * side (POST /_sandbox/deliver posts a JSON Update, a text, a button press or a shared contact, to
 * the bot's webhook), and send faults (POST/DELETE /_sandbox/faults).
 */
import type { Hono } from 'hono';
import * as v from 'valibot';
import { parseExactJson, stringifyExact } from '../../../src/channels/exact-json.ts';
import { fieldsOf, parseJson, randomId } from '../kit/basics.ts';
import { serveChatJournal } from '../kit/journal.ts';
import { deliverToWebhook } from '../kit/webhook.ts';
import { seconds } from './api.ts';
import { type BotApiCitizenUpdate, type BotApiState, FaultBody, Id } from './state.ts';

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
type Deliver = v.InferOutput<typeof DeliverBody>;

/** The Update a citizen's text, button press or contact makes, as the messenger would post it. */
function updateOf(state: BotApiState, updateId: number, body: Deliver): Record<string, unknown> {
  const { chat_id, from_id, text, callback_data, contact } = body;
  const chat = { id: BigInt(chat_id), type: 'private' };
  const from = { id: BigInt(from_id ?? chat_id), is_bot: false, first_name: 'شهروند آزمایشی' };
  if (callback_data !== undefined) {
    // Pressed under the bot's latest message in the chat, as a citizen would.
    const under = state.journal.list(0, ['bot'], (e) => e.chat_id === chat_id).at(-1)?.id ?? 0;
    const id = randomId();
    state.pressedIn.set(id, chat_id);
    const message = { message_id: under, date: seconds(), chat };
    return { update_id: updateId, callback_query: { id, from, chat_instance: chat_id, data: callback_data, message } };
  }
  const card = contact && {
    phone_number: contact.phone_number,
    first_name: contact.first_name ?? from.first_name,
    ...(contact.user_id !== null && { user_id: BigInt(contact.user_id ?? from_id ?? chat_id) }),
  };
  return {
    update_id: updateId,
    message: {
      message_id: state.journal.nextId, // the id the citizen's entry gets
      date: seconds(),
      chat,
      from,
      ...(text !== undefined && { text }),
      ...(card && { contact: card }),
    },
  };
}

export function serveBotApiControl(app: Hono, state: BotApiState): void {
  const { journal, typing, faults } = state;
  const deliveryTimeoutMs = state.options.deliveryTimeoutMs ?? 15_000;

  serveChatJournal(app, journal, typing, { bot: 'bot', all: ['bot', 'citizen', 'callback'] });

  app.post('/_sandbox/deliver', async (c) => {
    const body = v.safeParse(DeliverBody, parseJson(await c.req.text(), parseExactJson));
    if (!body.success) return c.json({ error: `missing or invalid field(s): ${fieldsOf(body.issues)}` }, 400);
    const target = state.webhookUrl;
    if (!target) return c.json({ error: 'no webhook URL: start the sandbox with webhookUrl, or call setWebhook' }, 409);
    const updateId = state.nextUpdateId++;
    const json = stringifyExact(updateOf(state, updateId, body.output));
    const entry = journal.record<BotApiCitizenUpdate>({
      side: 'citizen',
      chat_id: body.output.chat_id,
      update_id: updateId,
      update: parseExactJson(json),
    });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const token = state.secretToken;
    if (token) headers['x-telegram-bot-api-secret-token'] = token;
    const delivery = await deliverToWebhook(target, { body: json, headers }, deliveryTimeoutMs);
    return c.json({ id: entry.id, update_id: updateId, ...delivery }, delivery.error ? 502 : 200);
  });

  faults.serve(
    app,
    FaultBody,
    'expected {status, retryAfter?, chat_id?} or {timeoutMs, chat_id?}, each with count?, forMs? and rate?',
    parseExactJson,
  );
}
