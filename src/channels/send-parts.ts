/**
 * Sending a reply that was split into several messages. Once the first part is out, a failure
 * would have the whole reply sent again later, repeating the parts already delivered; so a later
 * part's brief refusal (a 429 from sending fast) is waited out here, a few times, before giving up.
 */
import { backoffDelay, pause } from '../backoff.ts';
import type { SendResult } from './types.ts';

const PART_RETRIES = 3;
const PART_WAIT_MAX_MS = 5_000;
const PART_BACKOFF = { baseMs: 500, capMs: PART_WAIT_MAX_MS };

/** Sends the parts in order. @returns the last part's result, or the first failure */
export async function sendParts<M>(
  parts: readonly M[],
  sendOne: (part: M) => Promise<SendResult>,
): Promise<SendResult> {
  let result: SendResult = { ok: true, remoteId: null };
  for (const [index, part] of parts.entries()) {
    result = await sendOne(part);
    for (let attempt = 1; index > 0 && !result.ok && result.retryable && attempt <= PART_RETRIES; attempt++) {
      const wait = result.retryAfterMs ?? backoffDelay(attempt, PART_BACKOFF);
      if (wait > PART_WAIT_MAX_MS) break;
      await pause(wait);
      result = await sendOne(part);
    }
    if (!result.ok) return result;
  }
  return result;
}
