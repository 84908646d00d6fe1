/**
 * The client against the GSB sandbox's app (its `request` as the fetcher): every attempt signed
 * afresh, every answer verified, retries within the deadline, the token refreshed once on a 401,
 * and the breaker per service.
 */
import * as v from 'valibot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { localSandboxKey } from '../../../dev/local-keys.ts';
import { createGsbSandbox, MAGIC_POSTCODES } from '../../../dev/sandboxes/gsb/index.ts';
import { UpstreamError } from '../../../src/errors.ts';
import { postcodeService } from '../../../src/services/postcode.ts';
import { schemaOf } from '../../../src/services/types.ts';
import type { UpstreamCall } from '../../../src/types.ts';
import { contentDigest } from '../../../src/upstream/signing/content-digest.ts';
import { importSigningKey } from '../../../src/upstream/signing/keys.ts';
import { requestMessage } from '../../../src/upstream/signing/message-signature.ts';
import { PROBLEMS } from '../../../src/upstream/signing/problems.ts';
import { signResponse } from '../../../src/upstream/signing/profile.ts';
import { appFetcher, clientFor, manualClock, POSTCODE_OP, readCalls, sandboxOptions } from './harness.ts';

const postcodeCall = (postcode = '1193653471'): UpstreamCall => ({
  service: 'postcode',
  operation: 'post/gnaf/addressByPostcode',
  pid: 'pishkhan-postcode-v1',
  body: { postcode },
  subject: postcode,
});

const operationCalls = (sent: Request[]) => sent.filter((request) => new URL(request.url).pathname === POSTCODE_OP);
const nonceOf = (request: Request) => /;nonce="([^"]+)"/.exec(request.headers.get('signature-input') ?? '')?.[1];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the signed client', () => {
  it('sends a signed request the sandbox accepts, and takes its signed answer', async () => {
    const app = createGsbSandbox(sandboxOptions());
    const sent: Request[] = [];
    const client = await clientFor(app, { fetcher: appFetcher(app, sent) });
    const outcome = await client.call(postcodeCall(), 'pishkhan-1-0');
    expect(outcome.kind).toBe('ok');
    expect(outcome.kind === 'ok' && outcome.result).toMatchObject({ province: expect.any(String) });
    const [request] = operationCalls(sent);
    expect(request?.headers.get('signature-input')).toMatch(
      /keyid="pishkhan-local-1";alg="ed25519";tag="pishkhan-gsb"$/,
    );
    expect(request?.headers.get('pid')).toBe('pishkhan-postcode-v1');
    expect(await readCalls(app)).toMatchObject([{ status: 200, performed: true, idempotencyKey: 'pishkhan-1-0' }]);
  });

  it('sends Persian digits typed by the citizen as ASCII, under a digest of exactly the bytes sent', async () => {
    const app = createGsbSandbox(sandboxOptions());
    const sent: Request[] = [];
    const client = await clientFor(app, { fetcher: appFetcher(app, sent) });
    const answers = { postcode: v.parse(schemaOf(postcodeService.inputs[0]!, Date.now()), '۱۱۹۳۶۵۳۴۷۱') };
    const { operation, pid, body } = postcodeService.upstream;
    const outcome = await client.call({ service: 'postcode', operation, pid, body: body(answers) }, 'pishkhan-2-0');
    expect(outcome.kind).toBe('ok');
    const [request] = operationCalls(sent);
    const bytes = new Uint8Array(await (request as Request).arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    expect(text).toBe('{"requestId":"pishkhan-2-0","postcode":"1193653471"}');
    expect(bytes.every((byte) => byte < 0x80)).toBe(true);
    expect(request?.headers.get('content-digest')).toBe(await contentDigest(bytes));
  });

  it('retries a 503 with the same Idempotency-Key and a fresh signature, and the retry does the work', async () => {
    const draws = [0.1, 0.9]; // the first attempt fails, the second does not
    const app = createGsbSandbox(sandboxOptions({ errorRate: 0.5, random: () => draws.shift() ?? 0.9 }));
    const sent: Request[] = [];
    const client = await clientFor(app, { fetcher: appFetcher(app, sent), sleep: async () => {} });
    expect((await client.call(postcodeCall(), 'pishkhan-3-0')).kind).toBe('ok');
    const [first, second] = operationCalls(sent) as [Request, Request];
    expect(second.headers.get('idempotency-key')).toBe(first.headers.get('idempotency-key'));
    expect(nonceOf(second)).not.toBe(nonceOf(first));
    expect(second.headers.get('x-request-id')).not.toBe(first.headers.get('x-request-id'));
    expect(second.headers.get('signature')).not.toBe(first.headers.get('signature'));
    expect((await readCalls(app)).map(({ status, replayed, performed }) => ({ status, replayed, performed }))).toEqual([
      { status: 503, replayed: false, performed: false },
      { status: 200, replayed: false, performed: true },
    ]);
  });

  it('gets the first answer back for the same key and body, and the bus does the work once', async () => {
    const app = createGsbSandbox(sandboxOptions());
    const client = await clientFor(app);
    const first = await client.call(postcodeCall(), 'pishkhan-4-0');
    const again = await client.call(postcodeCall(), 'pishkhan-4-0');
    expect(again).toEqual(first);
    expect((await readCalls(app)).filter((call) => call.performed)).toHaveLength(1);
  });

  it('honours Retry-After on a 429', async () => {
    const app = createGsbSandbox(sandboxOptions());
    const answerKey = { key: await importSigningKey(localSandboxKey), keyId: localSandboxKey.kid };
    let throttled = false;
    const fetcher: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (throttled || new URL(request.url).pathname !== POSTCODE_OP) return app.request(request);
      throttled = true;
      const body = new TextEncoder().encode('{"type":"urn:test:slow-down","title":"Too many","status":429}');
      const headers: [string, string][] = [['content-type', 'application/problem+json']];
      const signature = await signResponse({ status: 429, headers }, body, requestMessage(request), answerKey);
      return new Response(body, { status: 429, headers: [...headers, ...signature, ['retry-after', '2']] });
    };
    const waits: number[] = [];
    const client = await clientFor(app, { fetcher, sleep: async (ms) => void waits.push(ms) });
    expect((await client.call(postcodeCall(), 'pishkhan-5-0')).kind).toBe('ok');
    expect(waits).toEqual([2_000]);
  });

  it("takes a gateway's unsigned 503s for no answer: retried with the same key and fresh signatures", async () => {
    const gatewayErrors = [{ status: 503 }, { status: 503 }];
    const app = createGsbSandbox(sandboxOptions({ gatewayErrors }));
    const sent: Request[] = [];
    const client = await clientFor(app, { fetcher: appFetcher(app, sent), sleep: async () => {} });
    expect((await client.call(postcodeCall(), 'pishkhan-5-1')).kind).toBe('ok');
    const calls = await readCalls(app);
    expect(calls.map((call) => [call.status, call.problem])).toEqual([
      [503, 'gateway'],
      [503, 'gateway'],
      [200, null],
    ]);
    expect(new Set(calls.map((call) => call.idempotencyKey))).toEqual(new Set(['pishkhan-5-1']));
    const attempts = sent.filter((request) => new URL(request.url).pathname === POSTCODE_OP);
    expect(new Set(attempts.map((request) => request.headers.get('signature'))).size).toBe(3);
  });

  it("honours an unsigned 429's Retry-After", async () => {
    const app = createGsbSandbox(sandboxOptions({ gatewayErrors: [{ status: 429, retryAfter: 1 }] }));
    const waits: number[] = [];
    const client = await clientFor(app, { sleep: async (ms) => void waits.push(ms) });
    expect((await client.call(postcodeCall(), 'pishkhan-5-2')).kind).toBe('ok');
    expect(waits).toEqual([1_000]);
  });

  it('still refuses an unsigned answer it would act on (a 200, a 404)', async () => {
    const app = createGsbSandbox(sandboxOptions());
    const fetcher: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (new URL(request.url).pathname !== POSTCODE_OP) return app.request(request);
      return new Response('{"requestId":"pishkhan-5-3","status":"OK","result":{}}', { status: 200 });
    };
    const client = await clientFor(app, { fetcher });
    await expect(client.call(postcodeCall(), 'pishkhan-5-3')).rejects.toThrow(/answer refused/);
  });

  it('retries an attempt that timed out', async () => {
    const draws = [0.1, 0.9];
    const app = createGsbSandbox(sandboxOptions({ timeoutRate: 0.5, random: () => draws.shift() ?? 0.9 }));
    const fetcher: typeof fetch = async (input, init) => {
      const response = await app.request(new Request(input, init));
      // app.request answers even when the client has given up; a real fetch would have thrown.
      if (init?.signal?.aborted) throw init.signal.reason;
      return response;
    };
    const client = await clientFor(app, { fetcher, attemptTimeoutMs: 100, backoff: { baseMs: 10, capMs: 20 } });
    expect((await client.call(postcodeCall(), 'pishkhan-6-0')).kind).toBe('ok');
    expect((await readCalls(app)).map((call) => call.status)).toEqual([504, 200]);
  });

  it('maps 404 to not-found and 400 to rejected, without retrying', async () => {
    const app = createGsbSandbox(sandboxOptions());
    const client = await clientFor(app);
    expect(await client.call(postcodeCall(MAGIC_POSTCODES.noRecord), 'pishkhan-7-0')).toEqual({ kind: 'not-found' });
    expect(await client.call(postcodeCall('0123456789'), 'pishkhan-7-1')).toEqual({ kind: 'rejected' });
    expect(await readCalls(app)).toHaveLength(2);
  });

  it('gives up at the deadline, saying so', async () => {
    const clock = manualClock();
    const app = createGsbSandbox(sandboxOptions({ now: clock.now }));
    const client = await clientFor(app, { now: clock.now, sleep: clock.sleep });
    const started = clock.now();
    await expect(client.call(postcodeCall(MAGIC_POSTCODES.upstreamError), 'pishkhan-8-0')).rejects.toThrow(
      /no answer within 20000 ms \(HTTP 500\)/,
    );
    expect(clock.now() - started).toBeLessThan(20_000);
    const calls = await readCalls(app);
    expect(calls.length).toBeGreaterThan(3);
    expect(calls.every((call) => call.status === 500 && !call.replayed && call.performed)).toBe(true);
  });

  it('keeps the network error behind a call that never got an answer, as the cause', async () => {
    const clock = manualClock();
    const app = createGsbSandbox(sandboxOptions({ now: clock.now }));
    const refused = new TypeError('fetch failed');
    const sandbox = appFetcher(app);
    // The token endpoint answers; the bus's own address refuses every connection.
    const fetcher: typeof fetch = (input, init) =>
      String(input).includes('/oauth/') ? sandbox(input, init) : Promise.reject(refused);
    const client = await clientFor(app, { fetcher, now: clock.now, sleep: clock.sleep });
    const failure = await client.call(postcodeCall(), 'pishkhan-8-1').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamError);
    expect((failure as UpstreamError).status).toBeNull();
    expect((failure as UpstreamError).cause).toBe(refused);
  });
});

describe('answers the client refuses', () => {
  it('refuses a forged answer, not retried: the body changed after signing, or a stranger key', async () => {
    const draws = [0.1, 0.1, 0.1, 0.9]; // tamper with the body, then with the key
    const app = createGsbSandbox(sandboxOptions({ tamperRate: 1, random: () => draws.shift() ?? 0.5 }));
    const client = await clientFor(app);
    await expect(client.call(postcodeCall(), 'pishkhan-9-0')).rejects.toThrow(PROBLEMS.contentDigestMismatch.type);
    await expect(client.call(postcodeCall(), 'pishkhan-9-1')).rejects.toThrow(PROBLEMS.signatureInvalid.type);
    expect(await readCalls(app)).toHaveLength(2);
  });

  it('refuses an answer without a signature', async () => {
    const app = createGsbSandbox(sandboxOptions());
    const fetcher: typeof fetch = async (input, init) => {
      const response = await app.request(new Request(input, init));
      const headers = [...response.headers].filter(([name]) => !name.startsWith('signature'));
      return new Response(response.body, { status: response.status, headers });
    };
    const client = await clientFor(app, { fetcher });
    const refusal = client.call(postcodeCall(), 'pishkhan-10-0');
    await expect(refusal).rejects.toBeInstanceOf(UpstreamError);
    await expect(refusal).rejects.toThrow(PROBLEMS.signatureMissing.type);
  });
});

describe('the token', () => {
  it('is fetched once and reused, and fetched again a little before it expires', async () => {
    const clock = manualClock();
    const app = createGsbSandbox(sandboxOptions({ now: clock.now }));
    const sent: Request[] = [];
    const client = await clientFor(app, { fetcher: appFetcher(app, sent), now: clock.now });
    await client.call(postcodeCall(), 'pishkhan-11-0');
    await client.call(postcodeCall(), 'pishkhan-11-1');
    const tokenRequests = () => sent.filter((request) => request.url.endsWith('/oauth/token')).length;
    expect(tokenRequests()).toBe(1);
    clock.advance(3_600_000 - 29_000); // within the last 30 s of its hour
    await client.call(postcodeCall(), 'pishkhan-11-2');
    expect(tokenRequests()).toBe(2);
  });

  it('is refreshed once on a 401, and the call then succeeds', async () => {
    const app = createGsbSandbox(sandboxOptions());
    const sent: Request[] = [];
    let forgotten = false;
    // The bus forgets the token once: the Authorization header is not signed, so only the token is wrong.
    const fetcher: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (!forgotten && new URL(request.url).pathname === POSTCODE_OP) {
        forgotten = true;
        request.headers.set('authorization', 'Bearer forgotten');
      }
      return appFetcher(app, sent)(request);
    };
    const client = await clientFor(app, { fetcher });
    expect((await client.call(postcodeCall(), 'pishkhan-12-0')).kind).toBe('ok');
    expect((await readCalls(app)).map((call) => call.status)).toEqual([401, 200]);
    expect(sent.filter((request) => request.url.endsWith('/oauth/token'))).toHaveLength(2);
  });

  it('fails loudly, naming the problem, when a fresh token is refused too', async () => {
    const app = createGsbSandbox(sandboxOptions({ revokedKeyIds: ['pishkhan-local-1'] }));
    const client = await clientFor(app);
    await expect(client.call(postcodeCall(), 'pishkhan-13-0')).rejects.toThrow(
      /refused twice, with fresh credentials \(https:\/\/pishkhan\.ir\/problems\/key-revoked\) \(HTTP 401\)/,
    );
  });
});

describe('the breaker', () => {
  it('opens after five failed calls, fails fast without a request, and lets one probe through after the pause', async () => {
    const clock = manualClock();
    const app = createGsbSandbox(sandboxOptions({ errorRate: 1, now: clock.now }));
    const sent: Request[] = [];
    const client = await clientFor(app, { fetcher: appFetcher(app, sent), now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 5; i++) {
      await expect(client.call(postcodeCall(), `pishkhan-14-${i}`)).rejects.toThrow(/no answer within/);
    }
    const before = operationCalls(sent).length;
    await expect(client.call(postcodeCall(), 'pishkhan-14-5')).rejects.toThrow(/circuit open/);
    expect(operationCalls(sent)).toHaveLength(before);

    await app.request('/_sandbox/faults', { method: 'POST', body: '{}' });
    clock.advance(29_000);
    await expect(client.call(postcodeCall(), 'pishkhan-14-6')).rejects.toThrow(/circuit open/);
    clock.advance(1_000);
    expect((await client.call(postcodeCall(), 'pishkhan-14-7')).kind).toBe('ok');
    expect(operationCalls(sent)).toHaveLength(before + 1);
    expect((await client.call(postcodeCall(), 'pishkhan-14-8')).kind).toBe('ok');
  });

  it('keeps one breaker per service', async () => {
    const clock = manualClock();
    const app = createGsbSandbox(sandboxOptions({ now: clock.now }));
    const client = await clientFor(app, { now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 5; i++) {
      await expect(client.call(postcodeCall(MAGIC_POSTCODES.upstreamError), `pishkhan-15-${i}`)).rejects.toThrow();
    }
    await expect(client.call(postcodeCall(), 'pishkhan-15-5')).rejects.toThrow(/circuit open/);
    const bill: UpstreamCall = {
      service: 'bill',
      operation: 'billing/utility/billInquiry',
      pid: 'pishkhan-bill-v1',
      body: { billType: 'landline', billId: '7748317800142' },
    };
    expect((await client.call(bill, 'pishkhan-15-6')).kind).toBe('ok');
  });
});
