/**
 * Calling Gap: `POST {base}/sendMessage` (and `answerCallback`) with the `token` header and a form
 * body (messengers.md §1.2).
 */
import * as v from 'valibot';
import { retryAfterMs } from '../../backoff.ts';
import { ChannelError } from '../../errors.ts';
import type { InboundEvent, Reply } from '../../types.ts';
import type { SendResult } from '../types.ts';
import { renderGapMessage } from './render.ts';

export interface GapSettings {
  apiBase: string;
  token: string;
}

const SEND_TIMEOUT_MS = 10_000;
/** A button's acknowledgement is worth little once the answer itself is late. */
const ACKNOWLEDGE_TIMEOUT_MS = 5_000;
const Sent = v.object({ id: v.union([v.string(), v.number()]) });

export async function sendGapMessage(
  settings: GapSettings,
  fetcher: typeof fetch,
  chatId: string,
  reply: Reply,
): Promise<SendResult> {
  let response: Response;
  try {
    response = await fetcher(`${settings.apiBase}/sendMessage`, {
      method: 'POST',
      headers: { token: settings.token, 'content-type': 'application/x-www-form-urlencoded' },
      body: renderGapMessage(chatId, reply),
      // Never followed: another origin would be sent the token and the message.
      redirect: 'manual',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
  } catch {
    // A timeout is ambiguous: Gap may have delivered it. Retrying may show it twice; losing it is worse.
    return { ok: false, status: null, retryable: true, retryAfterMs: null };
  }
  if (response.ok) {
    const sent = v.safeParse(Sent, await response.json().catch(() => null));
    return { ok: true, remoteId: sent.success ? String(sent.output.id) : null };
  }
  await response.body?.cancel();
  const retryable = response.status === 429 || response.status >= 500;
  return {
    ok: false,
    status: response.status,
    retryable,
    retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
  };
}

/** Shows "typing…" in the chat (`sendAction`, whose only action is typing). */
export async function sendGapTyping(settings: GapSettings, fetcher: typeof fetch, chatId: string): Promise<void> {
  const response = await fetcher(`${settings.apiBase}/sendAction`, {
    method: 'POST',
    headers: { token: settings.token, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ chat_id: chatId, type: 'typing' }),
    redirect: 'manual',
    signal: AbortSignal.timeout(ACKNOWLEDGE_TIMEOUT_MS),
  });
  await response.body?.cancel();
  if (!response.ok) throw new ChannelError('gap', `sendAction refused (HTTP ${response.status})`);
}

/** Tells Gap an inline button press was received, so the citizen's button stops spinning. */
export async function answerGapCallback(
  settings: GapSettings,
  fetcher: typeof fetch,
  event: InboundEvent,
): Promise<void> {
  if (!event.button) return;
  const response = await fetcher(`${settings.apiBase}/answerCallback`, {
    method: 'POST',
    headers: { token: settings.token, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ chat_id: event.chatId, callback_id: event.button.callbackId }),
    redirect: 'manual',
    signal: AbortSignal.timeout(ACKNOWLEDGE_TIMEOUT_MS),
  });
  await response.body?.cancel();
  if (!response.ok) throw new ChannelError('gap', `answerCallback refused (HTTP ${response.status})`);
}
