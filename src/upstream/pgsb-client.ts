/**
 * The GSB client: the PGSB call shape of gsb-channel.md §1 (OAuth2 password-grant token, cached
 * in the isolate until it expires; Bearer, basicAuthorization and pid headers; a request id per
 * attempt and an idempotency key per logical call) and the status handling of §2.
 */
import * as v from 'valibot';
import { type Backoff, backoffDelay, retryAfterMs } from '../backoff.ts';
import { utf8ToBase64 } from '../crypto/base64.ts';
import { UpstreamError } from '../errors.ts';
import type { UpstreamCall, UpstreamOutcome } from '../types.ts';
import type { UpstreamClient } from './client.ts';

export interface GsbSettings {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  /** `user:pass` for the basicAuthorization header. */
  basicAuth: string;
}

export interface PgsbOptions {
  fetcher?: typeof fetch;
  /** The whole logical call, retries included, must end within this. */
  deadlineMs?: number;
  attemptTimeoutMs?: number;
  backoff?: Backoff;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

const Token = v.object({ access_token: v.pipe(v.string(), v.minLength(1)), expires_in: v.optional(v.number(), 300) });
const Answer = v.object({ requestId: v.string(), status: v.literal('OK'), result: v.unknown() });
/** Refresh the token a little before the bus would refuse it. */
const TOKEN_MARGIN_MS = 30_000;

type Attempt = { outcome: UpstreamOutcome } | { retryAfterMs: number | null } | { refreshToken: true };

export class PgsbClient implements UpstreamClient {
  private token: { value: string; expiresAt: number } | null = null;
  private readonly fetcher: typeof fetch;
  private readonly options: Required<Omit<PgsbOptions, 'fetcher'>>;

  constructor(
    private readonly settings: GsbSettings,
    { fetcher = fetch, ...options }: PgsbOptions = {},
  ) {
    this.fetcher = fetcher;
    this.options = {
      deadlineMs: 20_000,
      attemptTimeoutMs: 8_000,
      backoff: { baseMs: 250, capMs: 4_000 },
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now: Date.now,
      ...options,
    };
  }

  async call(call: UpstreamCall, idempotencyKey: string): Promise<UpstreamOutcome> {
    const { now, deadlineMs, backoff, sleep } = this.options;
    const deadline = now() + deadlineMs;
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const result = await this.attempt(call, idempotencyKey);
      if ('outcome' in result) return result.outcome;
      if ('refreshToken' in result) {
        if (refreshed) throw new UpstreamError(call.service, 401, 'refused the credentials twice');
        refreshed = true;
        this.token = null;
        continue;
      }
      const wait = result.retryAfterMs ?? backoffDelay(attempt, backoff);
      if (now() + wait >= deadline) throw new UpstreamError(call.service, null, `no answer within ${deadlineMs} ms`);
      await sleep(wait);
    }
  }

  private async attempt(call: UpstreamCall, idempotencyKey: string): Promise<Attempt> {
    let response: Response;
    try {
      response = await this.fetcher(`${this.settings.baseUrl}/api/client/apim/v1/${call.operation}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${await this.accessToken(call.service)}`,
          basicAuthorization: `Basic ${utf8ToBase64(this.settings.basicAuth)}`,
          pid: call.pid,
          'content-type': 'application/json',
          'x-request-id': crypto.randomUUID(),
          'idempotency-key': idempotencyKey,
        },
        body: JSON.stringify({ requestId: idempotencyKey, ...call.body }),
        signal: AbortSignal.timeout(this.options.attemptTimeoutMs),
      });
    } catch (error) {
      if (error instanceof UpstreamError) throw error;
      return { retryAfterMs: null }; // a timeout or a refused connection
    }
    const status = response.status;
    if (status === 200) {
      const answer = v.safeParse(Answer, await response.json().catch(() => null));
      if (!answer.success) throw new UpstreamError(call.service, status, 'answer is not the PGSB envelope');
      return { outcome: { kind: 'ok', result: answer.output.result } };
    }
    await response.body?.cancel();
    if (status === 404) return { outcome: { kind: 'not-found' } };
    if (status === 400) return { outcome: { kind: 'rejected' } };
    if (status === 401) return { refreshToken: true };
    if (status === 409 || status === 429 || status >= 500) {
      return { retryAfterMs: retryAfterMs(response.headers.get('retry-after')) };
    }
    // 422 (the key reused with another body) and anything unexpected are bugs, not weather.
    throw new UpstreamError(call.service, status, 'unexpected status');
  }

  private async accessToken(service: string): Promise<string> {
    const now = this.options.now();
    if (this.token && this.token.expiresAt > now) return this.token.value;
    const { baseUrl, clientId, clientSecret, username, password } = this.settings;
    const response = await this.fetcher(`${baseUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${utf8ToBase64(`${clientId}:${clientSecret}`)}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'password', username, password }),
      signal: AbortSignal.timeout(this.options.attemptTimeoutMs),
    });
    if (response.status === 400 || response.status === 401) {
      await response.body?.cancel();
      throw new UpstreamError(service, response.status, 'token refused: check GSB_CLIENT_ID, GSB_USERNAME and their secrets');
    }
    const token = v.safeParse(Token, await response.json().catch(() => null));
    if (!response.ok || !token.success) throw new TypeError('token endpoint unavailable');
    this.token = {
      value: token.output.access_token,
      expiresAt: now + token.output.expires_in * 1000 - TOKEN_MARGIN_MS,
    };
    return this.token.value;
  }
}
