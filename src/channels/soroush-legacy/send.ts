/**
 * Sending on Soroush legacy: `POST {base}/{token}/sendMessage` with a JSON message; success is a
 * 2xx answering `{resultCode: 200, resultMessage: "OK"}`, any other resultCode a refusal
 * (docs/messengers.md#soroush-legacy-sending). Apache Camel's client retries HTTP 503, 429 and 301; here 429,
 * 301 and every 5xx are retryable (the outbox backs off), anything else is a refusal for good.
 */
import * as v from 'valibot';
import { retryAfterMs } from '../../backoff.ts';
import type { Reply } from '../../types.ts';
import { notSent, post, SEND_TIMEOUT_MS } from '../kit.ts';
import { sendParts } from '../send-parts.ts';
import type { SendResult } from '../types.ts';
import { type LegacyMessage, renderSoroushLegacyMessages } from './render.ts';

export interface SoroushLegacySettings {
  apiBase: string;
  token: string;
  textLimit: number;
}

const Answer = v.looseObject({
  resultCode: v.optional(v.pipe(v.union([v.number(), v.pipe(v.string(), v.regex(/^\d{1,4}$/))]), v.transform(Number))),
});

/** Sends a reply, split into as many messages as its text needs (see send-parts.ts). */
export function sendSoroushLegacyMessage(
  settings: SoroushLegacySettings,
  fetcher: typeof fetch,
  to: string,
  reply: Reply,
): Promise<SendResult> {
  const messages = renderSoroushLegacyMessages(to, reply, settings.textLimit, Date.now());
  return sendParts(messages, (message) => sendOne(settings, fetcher, message));
}

async function sendOne(
  settings: SoroushLegacySettings,
  fetcher: typeof fetch,
  message: LegacyMessage,
): Promise<SendResult> {
  let response: Response;
  try {
    const url = `${settings.apiBase}/${settings.token}/sendMessage`;
    const headers = { 'content-type': 'application/json' };
    response = await post(fetcher, url, { headers, body: JSON.stringify(message), timeoutMs: SEND_TIMEOUT_MS });
  } catch (error) {
    return notSent(null, null, { cause: error });
  }
  const answer = await readAnswer(response);
  const code = response.ok ? (answer?.resultCode ?? 200) : response.status;
  // The message id is not part of the answer.
  if (code === 200) return { ok: true, remoteId: null };
  // A 301 is one of Camel's retryable answers (not followed: a POST would turn into a GET).
  return notSent(code, retryAfterMs(response.headers.get('retry-after')), { alsoRetried: [301] });
}

/** The answer's envelope, or null when it is not one (a proxy's HTML error page, say). */
async function readAnswer(response: Response): Promise<v.InferOutput<typeof Answer> | null> {
  try {
    const parsed = v.safeParse(Answer, JSON.parse(await response.text()));
    return parsed.success ? parsed.output : null;
  } catch {
    return null; // not JSON: only the status speaks
  }
}
