/**
 * What every messenger adapter shares: calling its API (one `post`, with a timeout, never
 * following a redirect: the token and the message would go to another origin), and one rule for
 * what a failed send means. Settings are read with config.ts's `readSettings`, as everywhere.
 */
import { ChannelError } from '../errors.ts';
import type { SendResult } from './types.ts';

/** How long a send may take before it counts as no answer. */
export const SEND_TIMEOUT_MS = 10_000;
/** A button's acknowledgement or "typing…" is worth little once the answer itself is late. */
export const ACKNOWLEDGE_TIMEOUT_MS = 5_000;

export interface PostOptions {
  headers?: Record<string, string>;
  body: BodyInit;
  timeoutMs: number;
}

/** POSTs to a messenger's API. Rejects when no answer came (a refused connection, a timeout). */
export function post(fetcher: typeof fetch, url: string, { headers, body, timeoutMs }: PostOptions): Promise<Response> {
  return fetcher(url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
}

/**
 * A send the messenger did not take. No answer is ambiguous (it may have been delivered: sending
 * again may show it twice, and losing it is worse) and is retried, as are 429 and 5xx, after
 * `retryAfterMs` when the messenger said; anything else is a refusal retrying cannot mend.
 * @param status the HTTP status (or the API's own code), null when no answer came
 */
export function notSent(
  status: number | null,
  retryAfterMs: number | null = null,
  options: { cause?: unknown; alsoRetried?: readonly number[] } = {},
): SendResult {
  const retryable = status === null || status === 429 || status >= 500 || !!options.alsoRetried?.includes(status);
  return { ok: false, status, retryable, retryAfterMs, ...(options.cause !== undefined && { cause: options.cause }) };
}

/** An acknowledgement's answer: read and dropped; a refusal is a ChannelError (the caller logs it and carries on). */
export async function acknowledged(channel: string, method: string, response: Response): Promise<void> {
  await response.body?.cancel();
  if (!response.ok) throw new ChannelError(channel, `${method} refused (HTTP ${response.status})`);
}
