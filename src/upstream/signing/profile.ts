/**
 * The bus link's profile of RFC 9421 (docs/bus.md#signing-profile): the label, tag and algorithm, the
 * components a request and an answer must cover, the time window, and signing, by the client of
 * each attempt and by the bus (or its sandbox) of each answer as it leaves.
 */
import { toBase64Url } from '../../crypto/base64.ts';
import { contentDigest } from './content-digest.ts';
import {
  type ComponentId,
  coveredComponents,
  fieldValue,
  type Message,
  type RequestMessage,
  type ResponseMessage,
  signMessage,
} from './message-signature.ts';
import type { InnerList } from './structured-fields.ts';

export const LABEL = 'sig1';
export const TAG = 'pishkhan-gsb';
export const ALG = 'ed25519';
/** How far `created` may be from now, either way; also a request signature's lifetime. */
export const WINDOW_S = 300;
/** A nonce outlives every signature that could carry it: created ≤ now + 300 s, accepted until created + 300 s. */
export const NONCE_TTL_S = 600;

/** What every request signature covers (docs/bus.md#request). */
export const REQUEST_COMPONENTS: readonly ComponentId[] = [
  { name: '@method' },
  { name: '@target-uri' },
  { name: 'content-type' },
  { name: 'content-digest' },
  { name: 'idempotency-key' },
  { name: 'x-request-id' },
];

/** What every answer signature covers (docs/bus.md#answer): the answer, bound to its request with `;req`. */
export const RESPONSE_COMPONENTS: readonly ComponentId[] = [
  { name: '@status' },
  { name: 'content-type' },
  { name: 'content-digest' },
  { name: '@method', req: true },
  { name: '@target-uri', req: true },
  { name: 'idempotency-key', req: true },
  { name: 'content-digest', req: true },
];

/** A signing key and the id the other side knows it by. */
export interface SigningKey {
  readonly key: CryptoKey;
  readonly keyId: string;
}

export interface SignRequestOptions {
  /** Epoch ms; `created` is its second. */
  readonly now?: () => number;
  /** `expires` is `created` plus this. */
  readonly expiresInS?: number;
  readonly components?: readonly ComponentId[];
}

/**
 * Signs one attempt of a request: the Content-Digest of `body`, then Signature-Input and Signature
 * over the request with those added (fresh `created`, `expires` and `nonce`, so re-sign every retry).
 * @param request must carry content-type, idempotency-key and x-request-id, and no digest or signature yet
 * @returns the three header fields to add to the request
 */
export async function signRequest(
  request: RequestMessage,
  body: BufferSource,
  signer: SigningKey,
  { now = Date.now, expiresInS = WINDOW_S, components = REQUEST_COMPONENTS }: SignRequestOptions = {},
): Promise<[string, string][]> {
  const created = Math.floor(now() / 1000);
  const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(16)));
  const params = { created, expires: created + expiresInS, nonce, keyid: signer.keyId, alg: ALG, tag: TAG };
  return signWithDigest(request, body, coveredComponents(components, params), signer.key);
}

/**
 * Signs an answer, bound to the request it answers: its Content-Digest, Signature-Input, Signature.
 * @returns the three header fields to add to the response
 */
export async function signResponse(
  response: ResponseMessage,
  body: BufferSource,
  request: RequestMessage,
  signer: SigningKey,
  { now = Date.now }: { now?: () => number } = {},
): Promise<[string, string][]> {
  const params = { created: Math.floor(now() / 1000), keyid: signer.keyId, alg: ALG };
  return signWithDigest(response, body, coveredComponents(RESPONSE_COMPONENTS, params), signer.key, request);
}

async function signWithDigest(
  message: Message,
  body: BufferSource,
  covered: InnerList,
  key: CryptoKey,
  request?: RequestMessage,
): Promise<[string, string][]> {
  for (const name of ['content-digest', 'signature-input', 'signature']) {
    if (fieldValue(message.headers, name) !== null) {
      throw new TypeError(`the message already has ${name}: signing adds it`);
    }
  }
  const digest: [string, string] = ['content-digest', await contentDigest(body)];
  const signed = { ...message, headers: [...message.headers, digest] };
  const { signatureInput, signature } = await signMessage(key, covered, signed, { label: LABEL, request });
  return [digest, ['signature-input', signatureInput], ['signature', signature]];
}
