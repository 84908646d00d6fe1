/**
 * GSB sandbox: stands in for the Government Service Bus in development and tests (gsb-channel.md
 * §3). Every operation call goes through the channel's verifier (RFC 9421 signature by a trusted,
 * unrevoked client key, time window, unused nonce, Content-Digest), then the PGSB checks (Bearer
 * token, basicAuthorization, pid), then the idempotency layer (422 for a key reused with another
 * body, 409 while the first is in flight, the stored first answer replayed), then the operation.
 * Every answer, problems and replays included, is signed as it leaves and bound to its request.
 *
 * Endpoints: POST /oauth/token; POST /api/client/apim/v1/{provider}/{gateway}/{operation};
 * control (JSON): GET/POST /_sandbox/faults, GET/DELETE /_sandbox/calls, GET /_sandbox/in-flight.
 * Nonces and idempotency records live in libSQL when `libsqlUrl` is given (so two sandboxes on one
 * database refuse each other's replays), else in memory.
 *
 * Magic postcodes (all valid per Iran Post's rule, so they pass validation):
 *   9999999999  404 no record
 *   8888888888  500 upstream error (not stored for idempotency: a retry does the work again)
 *   7777777777  correct answer after a delay (`slowMs`, default 3000 ms)
 *
 * Bill inquiry (billing/utility/billInquiry): billType is one of water, electricity, gas, landline,
 * mobile, and must be what the bill id's type digit says; the answer's amount (a multiple of 1000
 * rials), paymentId (check digits of gsb-channel.md §7) and dueDate (Jalali, 2 to 6 weeks after
 * 1405/09/01) are derived from the bill id. Magic bill id (valid per §7, electricity):
 *   9999999999921  404 no unpaid bill
 *
 * Shahkar (shahkar/gwsh/serviceIDmatching: serviceNumber 09…, serviceType '2', identificationType
 * '0', identificationNo) answers `{matched: true}` for every valid national code but one. The
 * personal services (gsb-channel.md §5: military status, traffic fines, negative points, licence
 * status, active plates, passport, life status) answer from data derived from the national code and
 * their inputs: the same code always gets the same fines, licences, plates and passport; fines have
 * traffic-fine bill ids and payment ids that pass §7's checks (dates fall before 1405/09/01, the
 * sandbox's "today"). Magic national codes (valid per §7):
 *   0684159414  Shahkar `{matched: false}`, whatever the mobile
 *   1583250689  every personal service: 404 no record
 * Magic inputs of the personal services, for any national code:
 *   plateNumber 993299999 (۹۹ ی ۹۹۹ ایران ۹۹)  traffic fines: 404 no fines
 *   licenseNumber 9999999999                  negative points: 404 no such licence
 *   birthDate 1300/01/01                       life status: 404 nobody with that birth date
 *
 * Faults (`POST /_sandbox/faults` replaces them as a whole; the options set the first ones):
 * latencyMs, errorRate (503), timeoutRate (hang until the client gives up, at most `hangMs`),
 * tamperRate (the body changed after signing, or a signature by a key nobody trusts), and a gateway
 * in front of the bus answering by itself, unsigned: gatewayErrorRate (503s), gatewayErrors (a queue
 * of `{status, retryAfter?, match?}`, each for the next call whose body holds `match`).
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import { contentDigest } from '../src/upstream/signing/content-digest.ts';
import { fieldValue, type RequestMessage, requestMessage } from '../src/upstream/signing/message-signature.ts';
import { MemoryNonceStore } from '../src/upstream/signing/nonce-store.ts';
import { type Problem, problem } from '../src/upstream/signing/problems.ts';
import { verifyRequest } from '../src/upstream/signing/verifier.ts';
import {
  invalidFields,
  jsonAnswer,
  problemAnswer,
  problemTypeOf,
  type StoredAnswer,
  sandboxProblem,
} from './gsb-sandbox/answers.ts';
import { loadSandboxKeys, type SandboxKeySettings, signedAnswer, type Tamper } from './gsb-sandbox/channel.ts';
import { CredentialCheck, type Credentials } from './gsb-sandbox/credentials.ts';
import { FaultsBody, faultsFrom, type GsbFaults, gatewayAnswer, hang } from './gsb-sandbox/faults.ts';
import { MemoryIdempotencyStore } from './gsb-sandbox/idempotency.ts';
import { OPERATIONS, type OpContext, type Operation } from './gsb-sandbox/operations.ts';
import { LibsqlIdempotencyStore, LibsqlNonceStore, SandboxDatabase } from './gsb-sandbox/stores.ts';
import { localSandboxKeys } from './local-keys.ts';
import { parseJson, sleep } from './sandbox-kit.ts';
import { listen, type RunningServer } from './serve.ts';

export { MAGIC_BILLS, MAGIC_NATIONAL_CODES, MAGIC_PERSONAL, MAGIC_POSTCODES } from './gsb-sandbox/operations.ts';
export type { GsbFaults, RunningServer };

/** The PGSB credentials it accepts, its keys, and the faults it starts with. */
export interface GsbSandboxOptions extends Credentials, SandboxKeySettings, Partial<GsbFaults> {
  port?: number; // 0 = a free port (default)
  host?: string; // default 127.0.0.1
  /** Where nonces and idempotency records live (tables of the sandbox's own); memory when absent. */
  libsqlUrl?: string;
  libsqlAuthToken?: string;
  slowMs?: number; // delay of the "slow" magic inputs, default 3000
  /** The longest a timeoutRate fault hangs when the client does not give up first; default 60 s. */
  hangMs?: number;
  /** Epoch ms: the verifier's window, the answers' `created`, token expiry. */
  now?: () => number;
  /** Draws the faults: a test may make them deterministic. */
  random?: () => number;
  /**
   * Lets a request that carries no signature through without the channel's and the PGSB checks
   * (the benchmark's peer, which does not sign); a signed request is checked as always. Never on
   * in the local stack or the tests.
   */
  admitUnsigned?: boolean;
}

/** One received operation call, without body values (they may be personal data). */
export interface GsbCall {
  time: string;
  path: string;
  pid: string | null;
  requestId: string | null;
  idempotencyKey: string | null;
  status: number;
  /** The problem `type` of a problem answer (`gateway` for a gateway's own unsigned error), null for a success. */
  problem: string | null;
  replayed: boolean;
  /** Whether the operation itself ran (the work a replay must not do twice). */
  performed: boolean;
  tampered: boolean;
}

/** An operation call as received: its body's exact bytes, and what the answer echoes. */
interface Received {
  opPath: string;
  bytes: Uint8Array<ArrayBuffer>;
  json: unknown;
  requestId: string | null;
  request: RequestMessage;
  /** Aborts when the client gives up. */
  signal: AbortSignal;
}

interface Handled {
  answer: StoredAnswer;
  replayed: boolean;
  performed: boolean;
}

const API_PREFIX = '/api/client/apim/v1/';
const MAX_CALLS = 10_000; // keeps a long load run from growing the log without bound

const toResponse = (answer: StoredAnswer) =>
  new Response(answer.body, { status: answer.status, headers: { 'content-type': answer.contentType } });

function build(options: GsbSandboxOptions) {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const hangMs = options.hangMs ?? 60_000;
  const credentials = new CredentialCheck(options, now);
  const ctx: OpContext = { slowMs: options.slowMs ?? 3000 };
  const db = options.libsqlUrl ? new SandboxDatabase(options.libsqlUrl, options.libsqlAuthToken) : null;
  const nonces = db ? new LibsqlNonceStore(db, now) : new MemoryNonceStore(now);
  const idempotency = db ? new LibsqlIdempotencyStore(db, now) : new MemoryIdempotencyStore(now);
  const ready = loadSandboxKeys(options);
  ready.catch(() => {}); // reported to whoever awaits it: startGsbSandbox, or each request
  let faults = faultsFrom(options);
  let calls: GsbCall[] = [];
  const app = new Hono();

  app.post('/oauth/token', async (c) => {
    const requestId = c.req.header('x-request-id') ?? null;
    return toResponse(credentials.issue(c.req.header('authorization') ?? null, await c.req.text(), requestId));
  });

  /** The channel, then the PGSB checks, then idempotency, then the operation. */
  async function handle(received: Received): Promise<Handled> {
    const { opPath, bytes, request, requestId } = received;
    const header = (name: string) => fieldValue(request.headers, name);
    const refuse = (p: Problem): Handled => ({
      answer: problemAnswer(p, requestId),
      replayed: false,
      performed: false,
    });

    // Idempotency keys are the caller's own: another caller's same key is another record.
    let caller = 'unsigned';
    if (!(options.admitUnsigned && header('signature') === null)) {
      const { trusted, revoked } = await ready;
      const verdict = await verifyRequest(request, bytes, { keys: trusted, revokedKeyIds: revoked, nonces, now });
      if (!verdict.ok) return refuse(verdict.problem);
      caller = verdict.keyId;
      const unauthorized = credentials.refusal(header('authorization'), header('basicauthorization'));
      if (unauthorized) return refuse(unauthorized);
    }
    if (!header('pid')?.trim()) {
      const detail = 'the pid header names the service and is required';
      return refuse(sandboxProblem(400, 'missing-pid', 'Missing pid', detail));
    }
    const op = OPERATIONS[opPath];
    if (!op) return refuse(sandboxProblem(404, 'unknown-operation', 'Unknown operation', `no operation at ${opPath}`));

    // A verified signature covers it; an admitted unsigned request must still carry one.
    const key = header('idempotency-key');
    if (!key) {
      const detail = 'the Idempotency-Key header is required';
      return refuse(sandboxProblem(400, 'missing-idempotency-key', 'Missing Idempotency-Key', detail));
    }
    const scoped = `${caller} ${key}`;
    const claim = await idempotency.claim(scoped, `${opPath} ${await contentDigest(bytes)}`);
    if (claim.kind === 'mismatch') {
      return refuse(problem('idempotencyKeyReused', 'this Idempotency-Key was first used with another body'));
    }
    if (claim.kind === 'in-flight') {
      return refuse(
        problem('idempotencyKeyInFlight', 'the first request with this Idempotency-Key is still being processed'),
      );
    }
    if (claim.kind === 'replay') return { answer: claim.answer, replayed: true, performed: false };

    let handled = refuse(sandboxProblem(500, 'sandbox-failed', 'Sandbox failed', 'the operation threw'));
    try {
      handled = await perform(op, received, refuse);
    } finally {
      // Only completed answers are kept; anything else frees the key so a retry does the work.
      await idempotency.complete(scoped, handled.answer);
    }
    return handled;
  }

  /** The injected faults, then the operation. */
  async function perform(op: Operation, { json, requestId, signal }: Received, refuse: (p: Problem) => Handled) {
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (faults.timeoutRate > 0 && random() < faults.timeoutRate) {
      await hang(signal, hangMs);
      return refuse(sandboxProblem(504, 'timeout', 'Gateway timeout', 'injected fault (timeoutRate)'));
    }
    if (faults.errorRate > 0 && random() < faults.errorRate) {
      return refuse(sandboxProblem(503, 'unavailable', 'Service unavailable', 'injected fault (errorRate)'));
    }
    if (json === undefined) {
      return refuse(sandboxProblem(400, 'invalid-json', 'Invalid JSON', 'the request body is not JSON'));
    }
    const outcome = await op(json, ctx);
    const answer = outcome.ok
      ? jsonAnswer(200, { requestId, status: 'OK', result: outcome.result })
      : problemAnswer(outcome.problem, requestId);
    return { answer, replayed: false, performed: true };
  }

  app.post(`${API_PREFIX}*`, async (c) => {
    const path = c.req.path;
    const request = requestMessage(c.req.raw);
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    const gateway = gatewayAnswer(faults, text, random);
    if (gateway) {
      recordCall({
        path,
        pid: c.req.header('pid') ?? null,
        requestId: c.req.header('x-request-id') ?? null,
        idempotencyKey: c.req.header('idempotency-key') ?? null,
        status: gateway.status,
        problem: 'gateway',
        replayed: false,
        performed: false,
        tampered: false,
      });
      return gateway;
    }
    const json = parseJson(text);
    const bodyId = (json as { requestId?: unknown } | undefined)?.requestId;
    const requestId = typeof bodyId === 'string' ? bodyId : (c.req.header('x-request-id') ?? null);
    const signal = c.req.raw.signal;
    const { answer, replayed, performed } = await handle({
      opPath: path.slice(API_PREFIX.length),
      bytes,
      json,
      requestId,
      request,
      signal,
    });
    const tamper: Tamper =
      faults.tamperRate > 0 && random() < faults.tamperRate ? (random() < 0.5 ? 'body' : 'key') : null;
    const extra: [string, string][] = replayed ? [['idempotent-replayed', 'true']] : [];
    const response = await signedAnswer(answer, request, await ready, { now, tamper, extra });
    recordCall({
      path,
      pid: c.req.header('pid') ?? null,
      requestId,
      idempotencyKey: c.req.header('idempotency-key') ?? null,
      status: answer.status,
      problem: problemTypeOf(answer),
      replayed,
      performed,
      tampered: tamper !== null,
    });
    return response;
  });

  function recordCall(call: Omit<GsbCall, 'time'>) {
    calls.push({ time: new Date(now()).toISOString(), ...call });
    if (calls.length > MAX_CALLS) calls = calls.slice(-MAX_CALLS);
  }

  app.get('/_sandbox/faults', (c) => c.json(faults));
  app.post('/_sandbox/faults', async (c) => {
    const body = v.safeParse(FaultsBody, parseJson(await c.req.text()));
    if (!body.success) return toResponse(problemAnswer(invalidFields(body.issues), null));
    faults = faultsFrom(body.output);
    return c.json(faults);
  });
  app.get('/_sandbox/calls', (c) => c.json(calls));
  app.get('/_sandbox/in-flight', async (c) => c.json({ inFlight: await idempotency.inFlight() }));
  app.delete('/_sandbox/calls', (c) => {
    calls = [];
    return c.body(null, 204);
  });
  return { app, ready };
}

/** The sandbox as a Hono app (its keys import on the first request); `app.request` serves tests. */
export function createGsbSandbox(options: GsbSandboxOptions): Hono {
  return build(options).app;
}

/** Key options left out default to the local development keys (dev/local-keys.ts). */
export type GsbSandboxServerOptions = Omit<GsbSandboxOptions, keyof SandboxKeySettings> & Partial<SandboxKeySettings>;

/** Starts the sandbox on loopback, once its keys have imported. */
export async function startGsbSandbox(options: GsbSandboxServerOptions): Promise<RunningServer> {
  const { app, ready } = build({ ...localSandboxKeys, ...options });
  await ready;
  return listen(app, options.port ?? 0, options.host ?? '127.0.0.1');
}
