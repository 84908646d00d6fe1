/**
 * Calling Gap: `POST {base}/<method>` with the `token` header and a form body (docs/messengers.md#gap-sending):
 * `sendMessage`, `sendAction` (its only action is typing) and `answerCallback`.
 */
import * as v from 'valibot';
import { retryAfterMs } from '../../backoff.ts';
import type { InboundEvent, Reply } from '../../types.ts';
import { ACKNOWLEDGE_TIMEOUT_MS, acknowledged, notSent, post, SEND_TIMEOUT_MS } from '../kit.ts';
import type { SendResult } from '../types.ts';
import { renderGapMessage } from './render.ts';

export interface GapSettings {
  apiBase: string;
  token: string;
}

const Sent = v.object({ id: v.union([v.string(), v.number()]) });

function call(settings: GapSettings, fetcher: typeof fetch, method: string, form: URLSearchParams, timeoutMs: number) {
  const headers = { token: settings.token, 'content-type': 'application/x-www-form-urlencoded' };
  return post(fetcher, `${settings.apiBase}/${method}`, { headers, body: form, timeoutMs });
}

export async function sendGapMessage(
  settings: GapSettings,
  fetcher: typeof fetch,
  chatId: string,
  reply: Reply,
): Promise<SendResult> {
  let response: Response;
  try {
    response = await call(settings, fetcher, 'sendMessage', renderGapMessage(chatId, reply), SEND_TIMEOUT_MS);
  } catch (error) {
    return notSent(null, null, { cause: error });
  }
  if (response.ok) {
    const sent = v.safeParse(Sent, await response.json().catch(() => null));
    return { ok: true, remoteId: sent.success ? String(sent.output.id) : null };
  }
  await response.body?.cancel();
  return notSent(response.status, retryAfterMs(response.headers.get('retry-after')));
}

/** Shows "typing…" in the chat. */
export async function sendGapTyping(settings: GapSettings, fetcher: typeof fetch, chatId: string): Promise<void> {
  const form = new URLSearchParams({ chat_id: chatId, type: 'typing' });
  await acknowledged('gap', 'sendAction', await call(settings, fetcher, 'sendAction', form, ACKNOWLEDGE_TIMEOUT_MS));
}

/** Tells Gap an inline button press was received, so the citizen's button stops spinning. */
export async function answerGapCallback(
  settings: GapSettings,
  fetcher: typeof fetch,
  event: InboundEvent,
): Promise<void> {
  if (!event.button) return;
  const form = new URLSearchParams({ chat_id: event.chatId, callback_id: event.button.callbackId });
  const response = await call(settings, fetcher, 'answerCallback', form, ACKNOWLEDGE_TIMEOUT_MS);
  await acknowledged('gap', 'answerCallback', response);
}
