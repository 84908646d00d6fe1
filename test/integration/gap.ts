/** Talking to the worker as Gap does, and reading what it sent back from the Gap sandbox. */
import { env, exports } from 'cloudflare:workers';

export interface SentMessage {
  id: number;
  chat_id: string;
  type: string;
  data: string;
  reply_keyboard: { keyboard: Record<string, string>[][] } | null;
  inline_keyboard: { text: string; cb_data: string }[][] | null;
  /** When the sandbox received it (ISO 8601). */
  time: string;
}

/** A chat id of its own for each test: the database and the sandbox are shared by every test. */
export function newChatId(): string {
  return String(10_000_000 + Math.floor(Math.random() * 89_999_999));
}

export function webhookUrl(secret = env.GAP_WEBHOOK_SECRET): string {
  return `https://pishkhan.test/webhooks/gap/${secret}`;
}

/** POSTs a Gap update, form-encoded as Gap sends it. */
export function postUpdate(fields: Record<string, string>, secret?: string): Promise<Response> {
  return postBody(new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', secret);
}

export function postBody(body: string | Uint8Array, contentType: string, secret?: string): Promise<Response> {
  return exports.default.fetch(webhookUrl(secret), { method: 'POST', headers: { 'content-type': contentType }, body });
}

export function sendText(chatId: string, text: string): Promise<Response> {
  const from = JSON.stringify({ id: Number(chatId), name: 'Test', user: 'test' });
  return postUpdate({ chat_id: chatId, type: 'text', data: text, from });
}

/** Waits until the bot has sent `count` messages to the chat, and returns them. */
export async function waitForMessages(chatId: string, count: number, deadlineMs = 10_000): Promise<SentMessage[]> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const response = await fetch(`${env.GAP_API_BASE}/_sandbox/messages?chat_id=${chatId}`);
    const { messages } = (await response.json()) as { messages: SentMessage[] };
    if (messages.length >= count) return messages;
    if (Date.now() > until) {
      throw new Error(`expected ${count} messages in chat ${chatId} within ${deadlineMs} ms, got ${messages.length}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Sends a text and waits for the one reply it causes. */
export async function converse(chatId: string, text: string, sentBefore: number): Promise<SentMessage> {
  const response = await sendText(chatId, text);
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
  const messages = await waitForMessages(chatId, sentBefore + 1);
  return messages[sentBefore] as SentMessage;
}

/** The labels of a reply keyboard, in order. */
export function keyboardLabels(message: SentMessage): string[] {
  return (message.reply_keyboard?.keyboard ?? []).flat().flatMap((button) => Object.values(button));
}
