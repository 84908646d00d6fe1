/**
 * The municipality sandbox's API: `POST /v1/vehicle-toll` as Pishkhan assumes the municipality
 * serves it (docs/providers.md). A call passes the bearer token (the kit's guard), then the signed
 * link's verifier (a trusted, unrevoked key, the time window, an unused nonce, Content-Digest), then
 * the idempotency layer (422 for a key reused with another body, 409 while the first is in flight, the
 * stored first answer replayed), then the operation; every answer is signed as it leaves and bound
 * to its request, unless a fault says otherwise.
 */
import type { Hono } from 'hono';
import * as v from 'valibot';
import { contentDigest } from '../../../src/upstream/signing/content-digest.ts';
import { fieldValue, requestMessage } from '../../../src/upstream/signing/message-signature.ts';
import { type Problem, problem } from '../../../src/upstream/signing/problems.ts';
import { verifyRequest } from '../../../src/upstream/signing/verifier.ts';
import { jsonAnswer, problemAnswer, type StoredAnswer, toResponse } from '../gsb/answers.ts';
import { signedAnswer } from '../gsb/channel.ts';
import { fieldsOf, parseJson } from '../kit/basics.ts';
import { tokenGuard } from '../kit/guard.ts';
import { MAGIC_TOLL, tollFor } from './records.ts';
import type { MunicipalityState } from './state.ts';

const TollRequest = v.object({
  requestId: v.pipe(v.string(), v.nonEmpty(), v.maxLength(128)),
  nationalCode: v.pipe(v.string(), v.regex(/^\d{10}$/)),
  mobile: v.pipe(v.string(), v.regex(/^09\d{9}$/)),
  plateNumber: v.pipe(v.string(), v.regex(/^\d{9}$/)),
});

/** A problem of the sandbox's own, outside the link's catalogue. */
const own = (status: number, slug: string, detail: string): Problem => ({
  type: `urn:pishkhan:municipality-sandbox:${slug}`,
  title: slug,
  status,
  detail,
});

export function serveMunicipalityApi(app: Hono, state: MunicipalityState): void {
  const refuseToken = () =>
    toResponse(problemAnswer(own(401, 'invalid-token', 'a valid bearer token is required'), null));
  const bearer = (header: string | undefined) => /^Bearer (.+)$/.exec(header ?? '')?.[1];
  app.use(
    '/v1/*',
    tokenGuard(state.options.token, (c) => bearer(c.req.header('authorization')), refuseToken),
  );

  app.post('/v1/vehicle-toll', async (c) => {
    const request = requestMessage(c.req.raw);
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const json = parseJson(new TextDecoder().decode(bytes));
    const body = v.safeParse(TollRequest, json);
    const requestId = body.success ? body.output.requestId : null;
    const keys = await state.ready;
    const answer = async (): Promise<StoredAnswer & { replayed?: boolean }> => {
      const verdict = await verifyRequest(request, bytes, {
        keys: keys.trusted,
        revokedKeyIds: keys.revoked,
        nonces: state.nonces,
        now: state.now,
      });
      if (!verdict.ok) return problemAnswer(verdict.problem, requestId);
      // Keys are the caller's own: another caller's same key is another record.
      const key = `${verdict.keyId} ${fieldValue(request.headers, 'idempotency-key')}`;
      const claim = await state.idempotency.claim(key, await contentDigest(bytes));
      if (claim.kind === 'mismatch') return problemAnswer(problem('idempotencyKeyReused', 'another body'), requestId);
      if (claim.kind === 'in-flight') return problemAnswer(problem('idempotencyKeyInFlight', 'in flight'), requestId);
      if (claim.kind === 'replay') return { ...claim.answer, replayed: true };
      const performed = body.success
        ? perform(body.output)
        : problemAnswer(own(400, 'invalid-body', `invalid or missing field(s): ${fieldsOf(body.issues)}`), requestId);
      // Only completed answers are kept; a failure frees the key, so a retry does the work.
      await state.idempotency.complete(key, performed);
      return performed;
    };
    const given = await answer();
    const fault = state.faults.take(body.success ? body.output.plateNumber : '');
    state.record({
      idempotencyKey: c.req.header('idempotency-key') ?? null,
      status: given.status,
      replayed: given.replayed === true,
      tampered: fault?.tamper ?? null,
    });
    if (fault?.tamper === 'unsigned') return toResponse(given);
    const tamper = fault?.tamper ?? null;
    return signedAnswer(given, request, keys, { now: state.now, tamper });
  });
}

function perform({ requestId, nationalCode, plateNumber }: v.InferOutput<typeof TollRequest>): StoredAnswer {
  if (nationalCode === MAGIC_TOLL.noRecord) {
    return problemAnswer(own(404, 'no-record', 'no toll file for this national code'), requestId);
  }
  if (plateNumber === MAGIC_TOLL.failingPlate) {
    return problemAnswer(own(500, 'unavailable', 'the toll system failed to answer'), requestId);
  }
  const result = plateNumber === MAGIC_TOLL.debtFreePlate ? { years: [] } : tollFor(nationalCode, plateNumber);
  return jsonAnswer(200, { requestId, status: 'OK', result });
}
