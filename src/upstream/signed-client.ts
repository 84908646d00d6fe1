/**
 * The signed client: one logical call to an organisation (its Provider), made in attempts that are
 * each signed afresh (RFC 9421: new `created`, nonce and X-Request-Id, the same Idempotency-Key)
 * over the exact body bytes (RFC 9530 Content-Digest). An answer the client acts on must be signed
 * by one of the organisation's keys and bound to its request, or it is refused; a 429 or 5xx, signed
 * or not (a gateway in front sends them unsigned), is no answer. Retries (5xx, 409, 429, timeouts)
 * stay within one deadline; a breaker per service fails fast when an agency is down; each attempt
 * appends one audit row. Redirects are never followed. docs/upstream.md tells the whole behaviour.
 */
import { type Backoff, backoffDelay, retryAfterMs } from '../backoff.ts';
import { UpstreamError } from '../errors.ts';
import { logError } from '../log.ts';
import { isRedirect } from '../transport.ts';
import type { UpstreamCall, UpstreamOutcome } from '../types.ts';
import type { AttemptRecord, AuditSink } from './audit-trail.ts';
import { type BreakerOptions, CircuitBreaker, type CircuitState } from './breaker.ts';
import type { CallOptions, UpstreamClient } from './client.ts';
import type { Provider } from './provider.ts';
import {
  fieldValue,
  type ReceivedSignature,
  type RequestMessage,
  readSignature,
  responseMessage,
} from './signing/message-signature.ts';
import { LABEL, type SigningKey, signRequest } from './signing/profile.ts';
import { verifyResponse } from './signing/verifier.ts';

/** Our signing key, and the keys the organisation signs its answers with, by key id. */
export interface SigningKeys {
  signer: SigningKey;
  responseKeys: ReadonlyMap<string, CryptoKey>;
}

export interface SignedClientOptions {
  keys: SigningKeys;
  /** Where each attempt is recorded. A failed append is logged; it never fails the call. */
  audit?: AuditSink;
  fetcher?: typeof fetch;
  /** The whole logical call, retries included, must end within this. */
  deadlineMs?: number;
  attemptTimeoutMs?: number;
  backoff?: Backoff;
  breaker?: Omit<BreakerOptions, 'now'>;
  sleep?: (ms: number) => Promise<void>;
  /** Epoch ms: for the deadline, the breaker's pause and the signatures' times. */
  now?: () => number;
}

/** The answers the client acts on: each must be signed by the organisation and bound to its request. */
const ACTED_ON = new Set([200, 400, 404, 409, 422]);
/** A problem's `type` is quoted in errors only when it looks like the URI it should be. */
const PROBLEM_TYPE = /^[\x21-\x7e]{1,200}$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

type Attempt =
  | { outcome: UpstreamOutcome }
  /** Worth another attempt: status null when no answer came. */
  | { retry: { afterMs: number | null; status: number | null; cause?: unknown } }
  /** 401: the credentials (or, failing that, the signature) were refused. */
  | { refused: string };

type Recorder = (attempt: AttemptRecord) => void;

export class SignedClient implements UpstreamClient {
  private readonly breaker: CircuitBreaker;
  private readonly fetcher: typeof fetch;
  private readonly keys: SigningKeys;
  private readonly audit: AuditSink | undefined;
  private readonly options: Required<Omit<SignedClientOptions, 'keys' | 'audit' | 'fetcher' | 'breaker'>>;

  constructor(
    private readonly provider: Provider,
    { keys, audit, fetcher = fetch, breaker, ...options }: SignedClientOptions,
  ) {
    this.keys = keys;
    this.audit = audit;
    this.fetcher = fetcher;
    this.options = {
      deadlineMs: 20_000,
      attemptTimeoutMs: 8_000,
      backoff: { baseMs: 250, capMs: 4_000 },
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now: Date.now,
      ...options,
    };
    this.breaker = new CircuitBreaker({ ...breaker, now: this.options.now });
  }

  circuits(): ReadonlyMap<string, CircuitState> {
    return this.breaker.states();
  }

  async call(call: UpstreamCall, idempotencyKey: string, options: CallOptions = {}): Promise<UpstreamOutcome> {
    if (!this.breaker.allow(call.service)) throw new UpstreamError(call.service, null, 'circuit open: failing fast');
    // One call's rows go in attempt order, each while the next attempt is already on its way.
    let appended = Promise.resolve();
    const record: Recorder = (attempt) => {
      const { audit } = this;
      if (!audit) return;
      appended = appended
        .then(() => audit(attempt))
        .catch((error: unknown) => logError('audit-append-failed', error, { service: call.service }));
    };
    try {
      const outcome = await this.attempts(call, idempotencyKey, options.deadline, record);
      this.breaker.succeeded(call.service);
      return outcome;
    } catch (error) {
      this.breaker.failed(call.service);
      throw error;
    } finally {
      await appended;
    }
  }

  private async attempts(
    call: UpstreamCall,
    idempotencyKey: string,
    callerDeadline: number | undefined,
    record: Recorder,
  ): Promise<UpstreamOutcome> {
    const { now, deadlineMs, backoff, sleep } = this.options;
    const started = now();
    const deadline = Math.min(started + deadlineMs, callerDeadline ?? Number.POSITIVE_INFINITY);
    let refreshed = false;
    for (let attempt = 1; ; attempt++) {
      const result = await this.attempt(call, idempotencyKey, deadline, record);
      if ('outcome' in result) return result.outcome;
      if ('refused' in result) {
        if (refreshed) {
          throw new UpstreamError(call.service, 401, `refused twice, with fresh credentials (${result.refused})`);
        }
        refreshed = true;
        this.provider.refresh();
        continue;
      }
      const wait = result.retry.afterMs ?? backoffDelay(attempt, backoff);
      if (now() + wait >= deadline) {
        const reason = `no answer within ${deadline - started} ms`;
        throw new UpstreamError(call.service, result.retry.status, reason, { cause: result.retry.cause });
      }
      await sleep(wait);
    }
  }

  private async attempt(
    call: UpstreamCall,
    idempotencyKey: string,
    deadline: number,
    record: Recorder,
  ): Promise<Attempt> {
    const { now, attemptTimeoutMs } = this.options;
    const timeoutMs = Math.max(1, Math.min(attemptTimeoutMs, deadline - now()));
    let request: Awaited<ReturnType<SignedClient['signed']>>;
    try {
      request = await this.signed(call, idempotencyKey, timeoutMs);
    } catch (error) {
      if (error instanceof UpstreamError) throw error;
      // The provider could not get its credentials (its token endpoint is down): as good as no answer.
      return { retry: { afterMs: null, status: null, cause: error } };
    }
    const started = now();
    const attempt = (status: number | null, responseDigest: string | null): AttemptRecord => ({
      at: started,
      service: call.service,
      requestId: request.requestId,
      idempotencyKey,
      keyId: this.keys.signer.keyId,
      created: request.created,
      nonce: request.nonce,
      requestDigest: request.digest,
      responseDigest,
      status,
      latencyMs: now() - started,
      subject: call.subject,
    });

    let response: Response;
    let body: Uint8Array<ArrayBuffer>;
    try {
      response = await this.fetcher(request.message.url, {
        method: 'POST',
        // Each pair typed as one: Deno's HeadersInit takes `[string, string][]`, not `string[][]`.
        headers: new Headers(request.message.headers.map(([name, value]): [string, string] => [name, value])),
        body: request.body,
        // Never followed: another origin would be sent the credentials and the citizen's data.
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      body = new Uint8Array(await response.arrayBuffer());
    } catch (error) {
      record(attempt(null, null));
      return { retry: { afterMs: null, status: null, cause: error } }; // a timeout or a refused connection
    }
    const { status } = response;
    record(attempt(status, response.headers.get('content-digest')));
    if (isRedirect(status)) throw new UpstreamError(call.service, status, 'redirected: refused');
    // No answer at all, signed or not: a gateway or load balancer in front sends these unsigned.
    if (status === 429 || status >= 500) {
      return { retry: { afterMs: retryAfterMs(response.headers.get('retry-after'), now()), status } };
    }

    // An answer the client acts on must be the organisation's own, bound to this request.
    const verified = await verifyResponse(responseMessage(response), body, request.message, {
      keys: this.keys.responseKeys,
      now,
    });
    if (!verified.ok && ACTED_ON.has(status)) {
      throw new UpstreamError(call.service, status, `answer refused: ${verified.problem.type}`);
    }

    if (status === 200) {
      const answer = this.provider.unwrap(parseJson(body), idempotencyKey);
      if ('refused' in answer) throw new UpstreamError(call.service, status, answer.refused);
      return { outcome: { kind: 'ok', result: answer.result } };
    }
    if (status === 404) return { outcome: { kind: 'not-found' } };
    if (status === 400) return { outcome: { kind: 'rejected' } };
    // Signed or not, a 401 costs only fresh credentials, and a second one fails the call.
    if (status === 401) return { refused: problemType(body) };
    if (status === 409) return { retry: { afterMs: retryAfterMs(response.headers.get('retry-after'), now()), status } };
    // 422 (the key reused with another body) and anything unexpected are bugs, not weather.
    throw new UpstreamError(call.service, status, `unexpected answer (${problemType(body)})`);
  }

  /** One attempt's request: the body's exact bytes, the headers with a fresh signature, and what the audit needs. */
  private async signed(call: UpstreamCall, idempotencyKey: string, timeoutMs: number) {
    const prepared = await this.provider.prepare(call, idempotencyKey, timeoutMs);
    const body = encoder.encode(JSON.stringify(prepared.body));
    const requestId = crypto.randomUUID();
    const unsigned: RequestMessage = {
      method: 'POST',
      url: prepared.url,
      headers: [
        ...prepared.headers,
        ['content-type', 'application/json'],
        ['x-request-id', requestId],
        ['idempotency-key', idempotencyKey],
      ],
    };
    const signature = await signRequest(unsigned, body, this.keys.signer, { now: this.options.now });
    const message: RequestMessage = { ...unsigned, headers: [...unsigned.headers, ...signature] };
    // signRequest always sets both; read back rather than recomputed, so the audit says what was sent.
    const { params } = readSignature(message, LABEL) as ReceivedSignature;
    return {
      message,
      body,
      requestId,
      digest: fieldValue(message.headers, 'content-digest') as string,
      created: params.created as number,
      nonce: params.nonce as string,
    };
  }
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(body));
  } catch {
    return null; // not JSON: the provider's unwrap refuses it, naming the answer's shape
  }
}

/** The problem `type` of an answer, for the operator's log line; never its detail. */
function problemType(body: Uint8Array): string {
  const type = (parseJson(body) as { type?: unknown } | null)?.type;
  return typeof type === 'string' && PROBLEM_TYPE.test(type) ? type : 'no problem type';
}
