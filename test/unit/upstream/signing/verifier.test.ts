import { beforeAll, describe, expect, it } from 'vitest';
import { contentDigest } from '../../../../src/upstream/signing/content-digest.ts';
import { generateKeyPair, importSigningKey, importVerifyKeys } from '../../../../src/upstream/signing/keys.ts';
import {
  type ComponentId,
  coveredComponents,
  type RequestMessage,
  type ResponseMessage,
  signMessage,
} from '../../../../src/upstream/signing/message-signature.ts';
import { MemoryNonceStore } from '../../../../src/upstream/signing/nonce-store.ts';
import { PROBLEMS, type ProblemKind } from '../../../../src/upstream/signing/problems.ts';
import {
  REQUEST_COMPONENTS,
  RESPONSE_COMPONENTS,
  type SigningKey,
  type SignRequestOptions,
  signRequest,
  signResponse,
} from '../../../../src/upstream/signing/profile.ts';
import {
  type Refusal,
  type Verified,
  verifyRequest,
  verifyResponse,
} from '../../../../src/upstream/signing/verifier.ts';

const NOW = 1_780_000_000_000; // epoch ms; the verifier's clock in every test
const encoder = new TextEncoder();
const BODY = encoder.encode('{"requestId":"01JTESTKEY","postcode":"1193653471"}');
const ANSWER = encoder.encode('{"requestId":"01JTESTKEY","status":"OK","result":{"province":"تهران"}}');

const unsigned: RequestMessage = {
  method: 'POST',
  url: 'https://gsb.example/api/client/apim/v1/post/gnaf/addressByPostcode',
  headers: [
    ['authorization', 'Bearer token'],
    ['pid', 'postcode-1'],
    ['content-type', 'application/json'],
    ['x-request-id', '0f1e2d3c-4b5a-4697-8877-665544332211'],
    ['idempotency-key', '01JTESTKEY'],
  ],
};

let client: SigningKey;
let stranger: SigningKey; // a key nobody trusts, used under the client's key id
let bus: SigningKey;
let clientKeys: Map<string, CryptoKey>;
let busKeys: Map<string, CryptoKey>;

beforeAll(async () => {
  const pair = async (kid: string) => {
    const { privateJwk, publicJwk } = await generateKeyPair(kid);
    return { signer: { key: await importSigningKey(privateJwk), keyId: kid }, publicJwk };
  };
  const [c, old, s, b] = await Promise.all([pair('pishkhan-1'), pair('pishkhan-0'), pair('pishkhan-1'), pair('gsb-1')]);
  client = c.signer;
  stranger = s.signer;
  bus = b.signer;
  clientKeys = await importVerifyKeys({ keys: [c.publicJwk, old.publicJwk] });
  busKeys = await importVerifyKeys({ keys: [b.publicJwk] });
});

const at = (offsetS: number) => () => NOW + offsetS * 1000;

async function signed(options: SignRequestOptions = {}, signer = client, message = unsigned): Promise<RequestMessage> {
  const added = await signRequest(message, BODY, signer, { now: () => NOW, ...options });
  return { ...message, headers: [...message.headers, ...added] };
}

function verifier(nonces = new MemoryNonceStore(() => NOW)) {
  return (message: RequestMessage, body: Uint8Array<ArrayBuffer> = BODY) =>
    verifyRequest(message, body, { keys: clientKeys, revokedKeyIds: new Set(['pishkhan-0']), nonces, now: () => NOW });
}

function refusedAs(result: Verified | Refusal, kind: ProblemKind): void {
  expect(result.ok ? 'accepted' : result.problem.type).toBe(PROBLEMS[kind].type);
}

/** The message with one header's value replaced (or, with `append`, the header repeated). */
function withHeader(message: RequestMessage, name: string, value: string, append = false): RequestMessage {
  const kept = append ? message.headers : message.headers.filter(([field]) => field !== name);
  return { ...message, headers: [...kept, [name, value]] };
}

describe('verifyRequest (docs/bus.md#verifier)', () => {
  it('accepts a correctly signed request and says what the audit log needs', async () => {
    const result = await verifier()(await signed());
    if (!result.ok) throw new Error(result.problem.detail);
    expect(result.keyId).toBe('pishkhan-1');
    expect(result.created).toBe(NOW / 1000);
    expect(result.expires).toBe(NOW / 1000 + 300);
    expect(result.nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(result.contentDigest).toBe(await contentDigest(BODY));
  });

  it('gives every refusal its own problem type', () => {
    const types = Object.values(PROBLEMS).map((p) => p.type);
    expect(new Set(types).size).toBe(types.length);
    for (const type of types) expect(type).toMatch(/^https:\/\/pishkhan\.ir\/problems\/[a-z-]+$/);
  });

  it('refuses a request whose body changed after signing (its digest no longer matches)', async () => {
    const result = await verifier()(
      await signed(),
      encoder.encode('{"requestId":"01JTESTKEY","postcode":"1193653472"}'),
    );
    refusedAs(result, 'contentDigestMismatch');
    expect(result.ok || result.problem.status).toBe(400);
  });

  it('refuses a signed Content-Digest that is not of the body, or in an algorithm the channel refuses', async () => {
    const sign = async (digest: string) => {
      const message = withHeader(unsigned, 'content-digest', digest);
      const covered = coveredComponents(REQUEST_COMPONENTS, {
        created: NOW / 1000,
        expires: NOW / 1000 + 300,
        nonce: 'AAAAAAAAAAAAAAAAAAAAAA',
        keyid: client.keyId,
        alg: 'ed25519',
        tag: 'pishkhan-gsb',
      });
      const fields = await signMessage(client.key, covered, message, { label: 'sig1' });
      return withHeader(withHeader(message, 'signature-input', fields.signatureInput), 'signature', fields.signature);
    };
    refusedAs(
      await verifier()(await sign(await contentDigest(encoder.encode('another body')))),
      'contentDigestMismatch',
    );
    refusedAs(await verifier()(await sign('sha=:AAAAAAAAAAAAAAAAAAAAAAAAAAA=:')), 'contentDigestMismatch');
  });

  it('refuses a request whose covered header changed, or was added a second time', async () => {
    const request = await signed();
    refusedAs(await verifier()(withHeader(request, 'idempotency-key', '01JOTHERKEY')), 'signatureInvalid');
    const repeated = withHeader(request, 'x-request-id', '0f1e2d3c-4b5a-4697-8877-665544332211', true);
    refusedAs(await verifier()(repeated), 'signatureInvalid');
    refusedAs(await verifier()({ ...request, url: `${request.url}?x=1` }), 'signatureInvalid');
    const untyped = { ...request, headers: request.headers.filter(([name]) => name !== 'content-type') };
    refusedAs(await verifier()(untyped), 'signatureInvalid');
  });

  it('lets uncovered headers change (the Bearer token is refreshed without re-signing)', async () => {
    const result = await verifier()(withHeader(await signed(), 'authorization', 'Bearer refreshed'));
    expect(result.ok).toBe(true);
  });

  it('refuses a forged signature: the right key id, the wrong key', async () => {
    refusedAs(await verifier()(await signed({}, stranger)), 'signatureInvalid');
  });

  it('refuses an unknown key id and a revoked one', async () => {
    refusedAs(await verifier()(await signed({}, { key: client.key, keyId: 'nobody' })), 'keyUnknown');
    refusedAs(await verifier()(await signed({}, { key: client.key, keyId: 'pishkhan-0' })), 'keyRevoked');
  });

  it('refuses created 301 s in the past or the future, and accepts 299 s either way', async () => {
    const far = { expiresInS: 3600 }; // so that only created decides
    refusedAs(await verifier()(await signed({ ...far, now: at(-301) })), 'signatureOutOfWindow');
    refusedAs(await verifier()(await signed({ ...far, now: at(301) })), 'signatureOutOfWindow');
    expect((await verifier()(await signed({ ...far, now: at(-299) }))).ok).toBe(true);
    expect((await verifier()(await signed({ ...far, now: at(299) }))).ok).toBe(true);
  });

  it('refuses a signature whose expires has passed', async () => {
    refusedAs(await verifier()(await signed({ now: at(-200), expiresInS: 100 })), 'signatureExpired');
  });

  it('refuses a nonce seen within the window, even from another verifier sharing the store', async () => {
    const nonces = new MemoryNonceStore(() => NOW);
    const request = await signed();
    expect((await verifier(nonces)(request)).ok).toBe(true);
    refusedAs(await verifier(nonces)(request), 'nonceReplayed');
  });

  it('does not use up the nonce of a request it refuses', async () => {
    const nonces = new MemoryNonceStore(() => NOW);
    const request = await signed();
    refusedAs(await verifier(nonces)(request, encoder.encode('{}')), 'contentDigestMismatch');
    expect((await verifier(nonces)(request)).ok).toBe(true);
  });

  it('refuses a signature that covers fewer components than the profile requires', async () => {
    const components = REQUEST_COMPONENTS.filter(({ name }) => name !== 'x-request-id');
    const result = await verifier()(await signed({ components }));
    refusedAs(result, 'signatureIncomplete');
    expect(result.ok || result.problem.detail).toContain('"x-request-id"');
  });

  it('refuses a signature without the channel tag or with another algorithm', async () => {
    const sign = async (params: Record<string, string | number>) => {
      const covered = coveredComponents(REQUEST_COMPONENTS, params);
      const message = withHeader(unsigned, 'content-digest', await contentDigest(BODY));
      const fields = await signMessage(client.key, covered, message, { label: 'sig1' });
      return withHeader(withHeader(message, 'signature-input', fields.signatureInput), 'signature', fields.signature);
    };
    const params = {
      created: NOW / 1000,
      expires: NOW / 1000 + 300,
      nonce: 'AAAAAAAAAAAAAAAAAAAAAA',
      keyid: client.keyId,
    };
    refusedAs(await verifier()(await sign({ ...params, alg: 'ed25519' })), 'signatureIncomplete');
    refusedAs(
      await verifier()(await sign({ ...params, alg: 'hmac-sha256', tag: 'pishkhan-gsb' })),
      'signatureIncomplete',
    );
    const shortNonce = { ...params, alg: 'ed25519', tag: 'pishkhan-gsb', nonce: 'short' };
    refusedAs(await verifier()(await sign(shortNonce)), 'signatureIncomplete');
    expect((await verifier()(await sign({ ...params, alg: 'ed25519', tag: 'pishkhan-gsb' }))).ok).toBe(true);
  });

  it('refuses an unsigned request, and a malformed Signature-Input or Signature', async () => {
    refusedAs(await verifier()(unsigned), 'signatureMissing');
    const request = await signed();
    refusedAs(await verifier()(withHeader(request, 'signature-input', 'sig1=("@method"')), 'signatureMalformed');
    refusedAs(await verifier()(withHeader(request, 'signature', 'sig1=:not base64:')), 'signatureMalformed');
    refusedAs(await verifier()(withHeader(request, 'signature', 'sig2=:AAAA:')), 'signatureMalformed');
  });
});

describe('verifyResponse (docs/bus.md#answer)', () => {
  const okResponse: ResponseMessage = { status: 200, headers: [['content-type', 'application/json']] };

  async function answer(request: RequestMessage, signer = bus, response = okResponse): Promise<ResponseMessage> {
    const added = await signResponse(response, ANSWER, request, signer, { now: () => NOW });
    return { ...response, headers: [...response.headers, ...added] };
  }

  const check = (response: ResponseMessage, request: RequestMessage, body: Uint8Array<ArrayBuffer> = ANSWER) =>
    verifyResponse(response, body, request, { keys: busKeys, now: () => NOW });

  it('accepts an answer signed by the bus and bound to this request', async () => {
    const request = await signed();
    const result = await check(await answer(request), request);
    if (!result.ok) throw new Error(result.problem.detail);
    expect(result.keyId).toBe('gsb-1');
    expect(result.contentDigest).toBe(await contentDigest(ANSWER));
  });

  it('accepts a signed problem answer too', async () => {
    const request = await signed();
    const notFound: ResponseMessage = { status: 404, headers: [['content-type', 'application/problem+json']] };
    expect((await check(await answer(request, bus, notFound), request)).ok).toBe(true);
  });

  it('refuses an unsigned answer', async () => {
    refusedAs(await check(okResponse, await signed()), 'signatureMissing');
  });

  it('refuses a forged answer: a key outside the bus set, or the bus key id with another key', async () => {
    const request = await signed();
    refusedAs(await check(await answer(request, client), request), 'keyUnknown');
    refusedAs(await check(await answer(request, { key: stranger.key, keyId: 'gsb-1' }), request), 'signatureInvalid');
  });

  it('refuses an answer whose body or status changed', async () => {
    const request = await signed();
    const response = await answer(request);
    const emptied = encoder.encode('{"requestId":"01JTESTKEY","status":"OK","result":{}}');
    refusedAs(await check(response, request, emptied), 'contentDigestMismatch');
    refusedAs(await check({ ...response, status: 404 }, request), 'signatureInvalid');
  });

  it('refuses an answer bound to another request', async () => {
    const request = await signed();
    const response = await answer(request);
    const otherCall = await signed({}, client, withHeader(unsigned, 'idempotency-key', '01JOTHERKEY'));
    refusedAs(await check(response, otherCall), 'signatureInvalid');
    const billUrl = unsigned.url.replace('post/gnaf/addressByPostcode', 'billing/utility/billInquiry');
    const otherOperation = await signed({}, client, { ...unsigned, url: billUrl });
    refusedAs(await check(response, otherOperation), 'signatureInvalid');
  });

  it('refuses an answer whose signature does not bind it to its request', async () => {
    const request = await signed();
    const unbound: readonly ComponentId[] = RESPONSE_COMPONENTS.filter(({ req }) => !req);
    const message: ResponseMessage = {
      ...okResponse,
      headers: [...okResponse.headers, ['content-digest', await contentDigest(ANSWER)]],
    };
    const covered = coveredComponents(unbound, { created: NOW / 1000, keyid: 'gsb-1', alg: 'ed25519' });
    const fields = await signMessage(bus.key, covered, message, { label: 'sig1' });
    const response: ResponseMessage = {
      ...message,
      headers: [...message.headers, ['signature-input', fields.signatureInput], ['signature', fields.signature]],
    };
    refusedAs(await check(response, request), 'signatureIncomplete');
  });

  it('refuses an old answer', async () => {
    const request = await signed();
    const stale = await signResponse(okResponse, ANSWER, request, bus, { now: at(-301) });
    refusedAs(
      await check({ ...okResponse, headers: [...okResponse.headers, ...stale] }, request),
      'signatureOutOfWindow',
    );
  });
});
