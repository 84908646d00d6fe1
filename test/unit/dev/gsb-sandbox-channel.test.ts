/**
 * The GSB sandbox as the verifying side of the signed link (docs/bus.md#verifier): each refusal
 * with its own problem type, idempotency (422, 409, replay re-signed, the work done once), nonces
 * shared through libSQL, key rotation, and the timeout and tamper faults.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGsbSandbox, type GsbCall, MAGIC_POSTCODES, startGsbSandbox } from '../../../dev/sandboxes/gsb/index.ts';
import { contentDigest } from '../../../src/upstream/signing/content-digest.ts';
import { generateKeyPair, importSigningKey } from '../../../src/upstream/signing/keys.ts';
import { coveredComponents, signMessage } from '../../../src/upstream/signing/message-signature.ts';
import { PROBLEMS, type ProblemKind } from '../../../src/upstream/signing/problems.ts';
import { REQUEST_COMPONENTS, type SigningKey } from '../../../src/upstream/signing/profile.ts';
import {
  clientSigner,
  getToken,
  POSTCODE_OP,
  type Prepared,
  prepare,
  problemType,
  readCalls,
  sandboxOptions,
  send,
  startDatabase,
  tokenRequest,
  verifyAnswer,
  withHeader,
} from '../upstream/harness.ts';

type App = ReturnType<typeof createGsbSandbox>;

const POSTCODE = { postcode: '1193653471' };
const at = (offsetS: number) => () => Date.now() + offsetS * 1000;

/** Sends `prepared` and expects a signed problem+json refusal of `kind`, also in the call log. */
async function expectRefused(app: App, prepared: Prepared, kind: ProblemKind): Promise<void> {
  const response = await send(app, prepared);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(await problemType(response)).toBe(PROBLEMS[kind].type);
  expect(response.status).toBe(PROBLEMS[kind].status);
  expect((await verifyAnswer(response, prepared.message)).ok).toBe(true);
  const calls = await readCalls(app);
  expect(calls.at(-1)).toMatchObject({ problem: PROBLEMS[kind].type, performed: false });
}

describe('the sandbox verifies every operation call', () => {
  let app: App;
  let token: string;
  beforeAll(async () => {
    app = createGsbSandbox(sandboxOptions({ slowMs: 200 }));
    token = await getToken(app);
  });

  it('accepts a correctly signed request and signs its answer, bound to it', async () => {
    const prepared = await prepare({ token, fields: POSTCODE });
    const response = await send(app, prepared);
    expect(response.status).toBe(200);
    expect(await verifyAnswer(response, prepared.message)).toMatchObject({ ok: true });
    const other = await prepare({ token, fields: POSTCODE });
    expect(await verifyAnswer(response, other.message)).toMatchObject({ ok: false });
  });

  it('refuses a body changed after signing', async () => {
    const prepared = await prepare({ token, fields: POSTCODE });
    const body = new TextEncoder().encode(new TextDecoder().decode(prepared.body).replace('1193653471', '3431745178'));
    await expectRefused(app, { ...prepared, body }, 'contentDigestMismatch');
  });

  it('refuses a signed Content-Digest that is not the digest of the body', async () => {
    const signer = await clientSigner();
    const honest = await prepare({ token, fields: POSTCODE });
    const unsigned = honest.message.headers.filter(
      ([name]) => !['content-digest', 'signature-input', 'signature'].includes(name),
    );
    const digest = await contentDigest(new TextEncoder().encode('{"another":"body"}'), 'sha-512');
    const message = { ...honest.message, headers: [...unsigned, ['content-digest', digest] as const] };
    const created = Math.floor(Date.now() / 1000);
    const params = {
      created,
      expires: created + 300,
      nonce: 'AAAAAAAAAAAAAAAAAAAAAA',
      keyid: signer.keyId,
      alg: 'ed25519',
      tag: 'pishkhan-gsb',
    };
    const fields = await signMessage(signer.key, coveredComponents(REQUEST_COMPONENTS, params), message, {
      label: 'sig1',
    });
    const signed = withHeader(
      withHeader(message, 'signature-input', fields.signatureInput),
      'signature',
      fields.signature,
    );
    await expectRefused(app, { message: signed, body: honest.body }, 'contentDigestMismatch');
  });

  it('refuses a covered header changed, and a covered header duplicated', async () => {
    const changed = await prepare({ token, fields: POSTCODE });
    await expectRefused(
      app,
      { ...changed, message: withHeader(changed.message, 'x-request-id', crypto.randomUUID()) },
      'signatureInvalid',
    );
    const duplicated = await prepare({ token, fields: POSTCODE });
    const key = duplicated.message.headers.find(([name]) => name === 'idempotency-key')?.[1] as string;
    const twice = withHeader(duplicated.message, 'idempotency-key', key, true);
    await expectRefused(app, { ...duplicated, message: twice }, 'signatureInvalid');
  });

  it('refuses an unknown key id and a revoked one', async () => {
    const { privateJwk } = await generateKeyPair('nobody-1');
    const stranger: SigningKey = { key: await importSigningKey(privateJwk), keyId: 'nobody-1' };
    await expectRefused(app, await prepare({ token, fields: POSTCODE, signer: stranger }), 'keyUnknown');
    const revoking = createGsbSandbox(sandboxOptions({ revokedKeyIds: 'pishkhan-local-1' }));
    await expectRefused(revoking, await prepare({ token: await getToken(revoking), fields: POSTCODE }), 'keyRevoked');
  });

  it('refuses created 301 s in the past or the future, and accepts 299 s either way', async () => {
    const far = { expiresInS: 3600 }; // so that only created decides
    for (const offset of [-301, 301]) {
      await expectRefused(
        app,
        await prepare({ token, fields: POSTCODE, sign: { ...far, now: at(offset) } }),
        'signatureOutOfWindow',
      );
    }
    for (const offset of [-299, 299]) {
      const response = await send(app, await prepare({ token, fields: POSTCODE, sign: { ...far, now: at(offset) } }));
      expect(response.status).toBe(200);
    }
  });

  it('refuses a signature whose expires has passed', async () => {
    await expectRefused(
      app,
      await prepare({ token, fields: POSTCODE, sign: { now: at(-200), expiresInS: 100 } }),
      'signatureExpired',
    );
  });

  it('refuses a replayed nonce, even with a fresh token', async () => {
    const prepared = await prepare({ token, fields: POSTCODE });
    expect((await send(app, prepared)).status).toBe(200);
    const again = {
      ...prepared,
      message: withHeader(prepared.message, 'authorization', `Bearer ${await getToken(app)}`),
    };
    await expectRefused(app, again, 'nonceReplayed');
  });

  it('refuses an unsigned request', async () => {
    const prepared = await prepare({ token, fields: POSTCODE });
    const headers = prepared.message.headers.filter(([name]) => !name.startsWith('signature'));
    const response = await send(app, { ...prepared, message: { ...prepared.message, headers } });
    expect(await problemType(response)).toBe(PROBLEMS.signatureMissing.type);
  });
});

describe('the sandbox keeps idempotency', () => {
  let app: App;
  let token: string;
  beforeAll(async () => {
    app = createGsbSandbox(sandboxOptions({ slowMs: 200 }));
    token = await getToken(app);
  });

  it('replays the first answer for the same key and body, re-signed for the new request, and does the work once', async () => {
    const first = await prepare({ token, fields: POSTCODE, idempotencyKey: 'k-replay' });
    const second = await prepare({ token, fields: POSTCODE, idempotencyKey: 'k-replay' });
    const answers = [await send(app, first), await send(app, second)];
    expect(await answers[1]?.clone().text()).toBe(await answers[0]?.clone().text());
    expect(answers[1]?.headers.get('idempotent-replayed')).toBe('true');
    expect((await verifyAnswer(answers[1] as Response, second.message)).ok).toBe(true);
    const calls = (await readCalls(app)).filter((call) => call.idempotencyKey === 'k-replay');
    expect(calls.map(({ replayed, performed }) => ({ replayed, performed }))).toEqual([
      { replayed: false, performed: true },
      { replayed: true, performed: false },
    ]);
  });

  it('refuses the key reused with another body (422)', async () => {
    expect((await send(app, await prepare({ token, fields: POSTCODE, idempotencyKey: 'k-422' }))).status).toBe(200);
    const other = await prepare({ token, fields: { postcode: '3431745178' }, idempotencyKey: 'k-422' });
    await expectRefused(app, other, 'idempotencyKeyReused');
  });

  it('refuses the same key while the first request is in flight (409)', async () => {
    const slow = { postcode: MAGIC_POSTCODES.slow };
    const first = send(app, await prepare({ token, fields: slow, idempotencyKey: 'k-409' }));
    const inFlight = async () =>
      ((await (await app.request('/_sandbox/in-flight')).json()) as { inFlight: number }).inFlight;
    await expect.poll(inFlight).toBe(1);
    await expectRefused(app, await prepare({ token, fields: slow, idempotencyKey: 'k-409' }), 'idempotencyKeyInFlight');
    expect((await first).status).toBe(200);
  });

  it("keeps each caller's keys apart: the same key from another caller is a record of its own", async () => {
    const both = createGsbSandbox(sandboxOptions({ admitUnsigned: true }));
    const signed = await prepare({ token: await getToken(both), fields: POSTCODE, idempotencyKey: 'k-scope' });
    expect((await send(both, signed)).status).toBe(200);
    const unsigned = await both.request(POSTCODE_OP, {
      method: 'POST',
      headers: { 'content-type': 'application/json', pid: 'peer', 'idempotency-key': 'k-scope' },
      body: JSON.stringify({ requestId: 'k-scope', ...POSTCODE }),
    });
    expect(unsigned.status).toBe(200);
    const calls = (await readCalls(both)).filter((call) => call.idempotencyKey === 'k-scope');
    expect(calls.map((call) => call.performed)).toEqual([true, true]);
  });

  it('stores no 5xx: after a 500 or an injected 503 nothing is replayed and the retry does the work', async () => {
    const failing = { postcode: MAGIC_POSTCODES.upstreamError };
    for (let i = 0; i < 2; i++) await send(app, await prepare({ token, fields: failing, idempotencyKey: 'k-500' }));
    const faulty = createGsbSandbox(sandboxOptions({ errorRate: 1 }));
    const faultyToken = await getToken(faulty);
    expect(
      (await send(faulty, await prepare({ token: faultyToken, fields: POSTCODE, idempotencyKey: 'k-503' }))).status,
    ).toBe(503);
    await faulty.request('/_sandbox/faults', { method: 'POST', body: '{}' });
    expect(
      (await send(faulty, await prepare({ token: faultyToken, fields: POSTCODE, idempotencyKey: 'k-503' }))).status,
    ).toBe(200);

    const summary = (calls: Awaited<ReturnType<typeof readCalls>>, key: string) =>
      calls
        .filter((call) => call.idempotencyKey === key)
        .map(({ status, replayed, performed }) => ({ status, replayed, performed }));
    expect(summary(await readCalls(app), 'k-500')).toEqual([
      { status: 500, replayed: false, performed: true },
      { status: 500, replayed: false, performed: true },
    ]);
    expect(summary(await readCalls(faulty), 'k-503')).toEqual([
      { status: 503, replayed: false, performed: false },
      { status: 200, replayed: false, performed: true },
    ]);
  });
});

describe('two sandboxes on one libSQL database', () => {
  let database: Awaited<ReturnType<typeof startDatabase>>;
  beforeAll(async () => {
    database = await startDatabase();
  });
  afterAll(() => database.stop());

  it("refuse each other's replayed nonces, and replay each other's answers", async () => {
    const [a, b] = [
      createGsbSandbox(sandboxOptions({ libsqlUrl: database.url })),
      createGsbSandbox(sandboxOptions({ libsqlUrl: database.url })),
    ];
    const prepared = await prepare({ token: await getToken(a), fields: POSTCODE, idempotencyKey: 'k-shared' });
    expect((await send(a, prepared)).status).toBe(200);
    const tokenB = await getToken(b);
    const replayed = { ...prepared, message: withHeader(prepared.message, 'authorization', `Bearer ${tokenB}`) };
    await expectRefused(b, replayed, 'nonceReplayed');

    const retry = await send(b, await prepare({ token: tokenB, fields: POSTCODE, idempotencyKey: 'k-shared' }));
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await readCalls(b)).at(-1)).toMatchObject({ replayed: true, performed: false });
  });
});

describe('key rotation', () => {
  it('accepts both the old and the new key while both are trusted, and refuses the old once it is revoked', async () => {
    const pairs = await Promise.all([generateKeyPair('pishkhan-old'), generateKeyPair('pishkhan-new')]);
    const signers = await Promise.all(
      pairs.map(async ({ privateJwk }) => ({ key: await importSigningKey(privateJwk), keyId: privateJwk.kid })),
    );
    const [old, next] = signers as [SigningKey, SigningKey];
    const trustedKeys = { keys: pairs.map(({ publicJwk }) => publicJwk) };

    const both = createGsbSandbox(sandboxOptions({ trustedKeys }));
    const token = await getToken(both);
    for (const signer of [old, next])
      expect((await send(both, await prepare({ token, fields: POSTCODE, signer }))).status).toBe(200);

    const rotated = createGsbSandbox(sandboxOptions({ trustedKeys, revokedKeyIds: ['pishkhan-old'] }));
    const rotatedToken = await getToken(rotated);
    await expectRefused(rotated, await prepare({ token: rotatedToken, fields: POSTCODE, signer: old }), 'keyRevoked');
    expect((await send(rotated, await prepare({ token: rotatedToken, fields: POSTCODE, signer: next }))).status).toBe(
      200,
    );
  });
});

describe('timeout and tamper faults', () => {
  it('hangs a call until the client gives up, then frees the key for the retry', async () => {
    const server = await startGsbSandbox(sandboxOptions({ timeoutRate: 1 }));
    try {
      const token = (await (await fetch(`${server.url}/oauth/token`, tokenRequest())).json()) as {
        access_token: string;
      };
      const call = () =>
        prepare({ baseUrl: server.url, token: token.access_token, fields: POSTCODE, idempotencyKey: 'k-hang' });
      const viaHttp = async ({ message, body }: Prepared, signal?: AbortSignal) =>
        fetch(message.url, { method: 'POST', headers: message.headers as [string, string][], body, signal });
      const started = Date.now();
      await expect(viaHttp(await call(), AbortSignal.timeout(100))).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(2_000);
      await fetch(`${server.url}/_sandbox/faults`, { method: 'POST', body: '{}' });
      const calls = async () => (await (await fetch(`${server.url}/_sandbox/calls`)).json()) as GsbCall[];
      await expect.poll(async () => (await calls()).length).toBe(1);
      expect((await calls())[0]).toMatchObject({ status: 504, performed: false });
      expect((await viaHttp(await call())).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('answers with the body changed after signing, or signed by a key nobody trusts', async () => {
    const draws = [0.1, 0.1, 0.1, 0.9]; // tamper, with the body; tamper, with the key
    const app = createGsbSandbox(sandboxOptions({ tamperRate: 1, random: () => draws.shift() ?? 0.5 }));
    const token = await getToken(app);
    const refusals: string[] = [];
    for (let i = 0; i < 2; i++) {
      const prepared = await prepare({ token, fields: POSTCODE });
      const verdict = await verifyAnswer(await send(app, prepared), prepared.message);
      refusals.push(verdict.ok ? 'accepted' : verdict.problem.type);
    }
    expect(refusals).toEqual([PROBLEMS.contentDigestMismatch.type, PROBLEMS.signatureInvalid.type]);
    expect((await readCalls(app)).map((call) => call.tampered)).toEqual([true, true]);
  });
});
