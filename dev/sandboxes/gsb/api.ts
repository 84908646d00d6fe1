/**
 * The GSB sandbox's bus API: POST /oauth/token (the PGSB password grant) and
 * POST /api/client/apim/v1/{provider}/{gateway}/{operation}. An operation call goes through the
 * channel's verifier, the PGSB checks, the idempotency layer, the injected faults and then the
 * operation; every answer, problems and replays included, is signed as it leaves.
 */
import type { Hono } from 'hono';
import { contentDigest } from '../../../src/upstream/signing/content-digest.ts';
import { fieldValue, type RequestMessage, requestMessage } from '../../../src/upstream/signing/message-signature.ts';
import { type Problem, problem } from '../../../src/upstream/signing/problems.ts';
import { verifyRequest } from '../../../src/upstream/signing/verifier.ts';
import { parseJson, sleep } from '../kit/basics.ts';
import { jsonAnswer, problemAnswer, problemTypeOf, type StoredAnswer, sandboxProblem, toResponse } from './answers.ts';
import { signedAnswer, type Tamper } from './channel.ts';
import { gatewayAnswer, hang } from './faults.ts';
import { OPERATIONS, type Operation } from './operations.ts';
import type { GsbState } from './state.ts';

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

export function serveGsbApi(app: Hono, state: GsbState): void {
  const { options, credentials, idempotency, nonces, now, random } = state;

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
      const { trusted, revoked } = await state.ready;
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
    const { faults } = state;
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (faults.timeoutRate > 0 && random() < faults.timeoutRate) {
      await hang(signal, state.hangMs);
      return refuse(sandboxProblem(504, 'timeout', 'Gateway timeout', 'injected fault (timeoutRate)'));
    }
    if (faults.errorRate > 0 && random() < faults.errorRate) {
      return refuse(sandboxProblem(503, 'unavailable', 'Service unavailable', 'injected fault (errorRate)'));
    }
    if (json === undefined) {
      return refuse(sandboxProblem(400, 'invalid-json', 'Invalid JSON', 'the request body is not JSON'));
    }
    const outcome = await op(json, state.ctx);
    const answer = outcome.ok
      ? jsonAnswer(200, { requestId, status: 'OK', result: outcome.result })
      : problemAnswer(outcome.problem, requestId);
    return { answer, replayed: false, performed: true };
  }

  app.post(`${API_PREFIX}*`, async (c) => {
    const path = c.req.path;
    const pid = c.req.header('pid') ?? null;
    const idempotencyKey = c.req.header('idempotency-key') ?? null;
    const request = requestMessage(c.req.raw);
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    const gateway = gatewayAnswer(state.faults, text, random);
    if (gateway) {
      state.recordCall({
        path,
        pid,
        requestId: c.req.header('x-request-id') ?? null,
        idempotencyKey,
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
    const { answer, replayed, performed } = await handle({
      opPath: path.slice(API_PREFIX.length),
      bytes,
      json,
      requestId,
      request,
      signal: c.req.raw.signal,
    });
    const { tamperRate } = state.faults;
    const tamper: Tamper = tamperRate > 0 && random() < tamperRate ? (random() < 0.5 ? 'body' : 'key') : null;
    const extra: [string, string][] = replayed ? [['idempotent-replayed', 'true']] : [];
    const response = await signedAnswer(answer, request, await state.ready, { now, tamper, extra });
    state.recordCall({
      path,
      pid,
      requestId,
      idempotencyKey,
      status: answer.status,
      problem: problemTypeOf(answer),
      replayed,
      performed,
      tampered: tamper !== null,
    });
    return response;
  });
}
