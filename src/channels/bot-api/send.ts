/**
 * Calling a Bot API: `POST {base}/bot<token>/<method>` with a JSON body; every answer is
 * `{ok, result}` or `{ok: false, error_code, description, parameters}` (docs/messengers.md#bot-api-sending).
 * A 429 says how long to wait in `parameters.retry_after` (seconds), in the body.
 */
import * as v from 'valibot';
import { retryAfterMs } from '../../backoff.ts';
import type { InboundEvent, Reply } from '../../types.ts';
import { parseExactJson, stringifyExact } from '../exact-json.ts';
import { ACKNOWLEDGE_TIMEOUT_MS, acknowledged, notSent, post, SEND_TIMEOUT_MS } from '../kit.ts';
import { sendParts } from '../send-parts.ts';
import type { SendResult } from '../types.ts';
import { type BotApiMessage, renderBotApiMessages } from './render.ts';

export interface BotApiSettings {
  /** The messenger's name, for errors. */
  channel: string;
  apiBase: string;
  token: string;
  textLimit: number;
}

const Integer = v.pipe(v.union([v.string(), v.number()]), v.transform(Number), v.integer(), v.minValue(0));
const Answer = v.looseObject({
  ok: v.optional(v.boolean()),
  result: v.optional(v.looseObject({ message_id: v.optional(v.union([v.string(), v.number()])) })),
  parameters: v.optional(v.looseObject({ retry_after: v.optional(Integer) })),
});
type Answer = v.InferOutput<typeof Answer>;

/** Sends a reply, split into as many messages as its text needs (see send-parts.ts). */
export function sendBotApiMessage(
  settings: BotApiSettings,
  fetcher: typeof fetch,
  chatId: string,
  reply: Reply,
): Promise<SendResult> {
  // The result is the last message's: the one that carries the buttons.
  const messages = renderBotApiMessages(chatId, reply, settings.textLimit);
  return sendParts(messages, (message) => sendOne(settings, fetcher, message));
}

/** Shows "typing…" in the chat (`sendChatAction`). */
export async function sendBotApiTyping(settings: BotApiSettings, fetcher: typeof fetch, chatId: string): Promise<void> {
  const body = { chat_id: exactId(chatId), action: 'typing' };
  const response = await call(settings, fetcher, 'sendChatAction', body, ACKNOWLEDGE_TIMEOUT_MS);
  await acknowledged(settings.channel, 'sendChatAction', response);
}

/** Stops the spinner of an inline button press. */
export async function answerCallbackQuery(
  settings: BotApiSettings,
  fetcher: typeof fetch,
  event: InboundEvent,
): Promise<void> {
  if (!event.button) return;
  const body = { callback_query_id: event.button.callbackId };
  const response = await call(settings, fetcher, 'answerCallbackQuery', body, ACKNOWLEDGE_TIMEOUT_MS);
  await acknowledged(settings.channel, 'answerCallbackQuery', response);
}

async function sendOne(settings: BotApiSettings, fetcher: typeof fetch, message: BotApiMessage): Promise<SendResult> {
  let response: Response;
  try {
    const body = { ...message, chat_id: exactId(message.chat_id) };
    response = await call(settings, fetcher, 'sendMessage', body, SEND_TIMEOUT_MS);
  } catch (error) {
    return notSent(null, null, { cause: error });
  }
  const answer = await readAnswer(response);
  if (response.ok && answer?.ok !== false) {
    const id = answer?.result?.message_id;
    return { ok: true, remoteId: id === undefined ? null : String(id) };
  }
  const bodyWait = answer?.parameters?.retry_after;
  const wait = bodyWait === undefined ? retryAfterMs(response.headers.get('retry-after')) : bodyWait * 1000;
  return notSent(response.status, wait);
}

function call(settings: BotApiSettings, fetcher: typeof fetch, method: string, body: unknown, timeoutMs: number) {
  const url = `${settings.apiBase}/bot${settings.token}/${method}`;
  return post(fetcher, url, { headers: { 'content-type': 'application/json' }, body: stringifyExact(body), timeoutMs });
}

/** The answer's envelope, or null when it is not one (a proxy's HTML error page, say). */
async function readAnswer(response: Response): Promise<Answer | null> {
  try {
    const parsed = v.safeParse(Answer, parseExactJson(await response.text()));
    return parsed.success ? parsed.output : null;
  } catch {
    return null; // not JSON: only the status speaks
  }
}

/** A chat id is written as the integer it is, digit for digit, as these APIs type it. */
function exactId(chatId: string): bigint | string {
  return /^-?\d+$/.test(chatId) ? BigInt(chatId) : chatId;
}
