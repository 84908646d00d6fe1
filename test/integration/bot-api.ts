/**
 * Talking to the worker as Soroush Plus and Bale do (JSON Updates in the Telegram shape, ids as
 * integer literals), and reading what it sent back from their Bot API sandboxes.
 */

import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { stringifyExact } from '../../src/channels/exact-json.ts';
import worker from '../../src/index.ts';

export type Messenger = 'soroush' | 'bale';
export type Vars = Record<string, unknown>;

export interface SentMessage {
  id: number;
  chat_id: string;
  text: string;
  reply_markup?: {
    keyboard?: { text: string; request_contact?: boolean }[][];
    resize_keyboard?: boolean;
    one_time_keyboard?: boolean;
    inline_keyboard?: { text: string; callback_data: string }[][];
  };
  /** When the sandbox received it (ISO 8601). */
  time: string;
}

const setting = (messenger: Messenger, name: string, vars: Vars = env) =>
  String(vars[`${messenger.toUpperCase()}_${name}`]);
export const sandboxUrl = (messenger: Messenger) => setting(messenger, 'API_BASE');

/**
 * A chat id of its own for each test, beyond 2^53 (where a double would round it), so that every
 * conversation also shows the id kept exact from webhook to sandbox.
 */
export function newChatId(): string {
  return String(10n ** 17n + BigInt(Math.floor(Math.random() * 1e15)));
}

let lastUpdateId = Math.floor(Math.random() * 1e9);
const nextUpdateId = () => BigInt(++lastUpdateId);
const date = () => Math.floor(Date.now() / 1000);
const user = (chatId: string) => ({ id: BigInt(chatId), is_bot: false, first_name: 'علی', username: 'ali' });
const chat = (chatId: string) => ({ id: BigInt(chatId), type: 'private', first_name: 'علی' });

/** Updates as docs/messengers.md#bot-api-updates shows them, with fresh update ids. */
export const fixtures = {
  text: (chatId: string, text: string) => ({
    update_id: nextUpdateId(),
    message: { message_id: BigInt(lastUpdateId), date: date(), chat: chat(chatId), from: user(chatId), text },
  }),
  callback: (chatId: string, data: string, callbackId: string) => ({
    update_id: nextUpdateId(),
    callback_query: {
      id: callbackId,
      from: user(chatId),
      chat_instance: '-1',
      data,
      message: { message_id: 1n, date: date(), chat: chat(chatId) },
    },
  }),
  /** A message in a group chat (a negative id, as these APIs give groups), from one of its members. */
  inGroup: (groupId: string, memberId: string, fields: { text: string } | { contact: string }) => ({
    update_id: nextUpdateId(),
    message: {
      message_id: BigInt(lastUpdateId),
      date: date(),
      chat: { id: BigInt(groupId), type: 'group', title: 'خانواده' },
      from: user(memberId),
      ...('text' in fields
        ? { text: fields.text }
        : { contact: { phone_number: fields.contact, first_name: 'علی', user_id: BigInt(memberId) } }),
    },
  }),
  contact: (chatId: string, phone: string) => ({
    update_id: nextUpdateId(),
    message: {
      message_id: BigInt(lastUpdateId),
      date: date(),
      chat: chat(chatId),
      from: user(chatId),
      contact: { phone_number: phone, first_name: 'علی', user_id: BigInt(chatId) },
    },
  }),
};

export interface PostOptions {
  /** The webhook path's secret; the messenger's own by default. */
  secret?: string;
  /** The secret-token header; the configured one by default, none when null. */
  secretToken?: string | null;
  /** `application/json` by default. */
  contentType?: string;
  vars?: Vars;
}

/** POSTs a webhook body as the messenger does, and waits for the work it started. */
export async function post(
  messenger: Messenger,
  body: string | Uint8Array,
  options: PostOptions = {},
): Promise<Response> {
  const vars = options.vars ?? env;
  const secret = options.secret ?? setting(messenger, 'WEBHOOK_SECRET', vars);
  const token = options.secretToken === undefined ? setting(messenger, 'SECRET_TOKEN', vars) : options.secretToken;
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'application/json' };
  if (token !== null) headers['x-telegram-bot-api-secret-token'] = token;
  const ctx = createExecutionContext();
  const request = new Request(`https://pishkhan.test/webhooks/${messenger}/${secret}`, {
    method: 'POST',
    headers,
    body,
  });
  const response = await worker.fetch(request, vars, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

export function postUpdate(messenger: Messenger, update: unknown, options?: PostOptions): Promise<Response> {
  return post(messenger, stringifyExact(update), options);
}

/** Waits until the bot has sent `count` messages to the chat, and returns them. */
export async function waitForMessages(messenger: Messenger, chatId: string, count: number, deadlineMs = 10_000) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const response = await fetch(`${sandboxUrl(messenger)}/_sandbox/messages?chat_id=${chatId}`);
    const { messages } = (await response.json()) as { messages: SentMessage[] };
    if (messages.length >= count) return messages;
    if (Date.now() > until) {
      throw new Error(
        `expected ${count} messages in ${messenger} chat ${chatId} within ${deadlineMs} ms, got ${messages.length}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Sends a text and waits for the one reply it causes. */
export async function converse(
  messenger: Messenger,
  chatId: string,
  text: string,
  sentBefore: number,
): Promise<SentMessage> {
  const response = await postUpdate(messenger, fixtures.text(chatId, text));
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
  const messages = await waitForMessages(messenger, chatId, sentBefore + 1);
  return messages[sentBefore] as SentMessage;
}

/** The labels of a reply keyboard, in order. */
export function keyboardLabels(message: SentMessage): string[] {
  return (message.reply_markup?.keyboard ?? []).flat().map((button) => button.text);
}

export async function injectSendFault(messenger: Messenger, fault: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${sandboxUrl(messenger)}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  if (response.status !== 200) throw new Error(`the sandbox refused the fault: ${response.status}`);
}
