/**
 * The verifier of docs/bus.md#verifier, reusable by the sandbox and by a real gateway in front of the
 * bus (verifyRequest), and the client's check of the bus's answers (verifyResponse). Every refusal
 * is one problem type of problems.ts. Checks run cheapest first; the nonce is claimed last, so only
 * a request that passed everything else can use one up.
 */
import { verifyContentDigest } from './content-digest.ts';
import {
  type ComponentId,
  fieldValue,
  type Message,
  type ReceivedSignature,
  type RequestMessage,
  type ResponseMessage,
  readSignature,
  SignatureBaseError,
  SignatureFormatError,
  type SignatureParams,
  signatureBase,
  verifyBase,
} from './message-signature.ts';
import type { NonceStore } from './nonce-store.ts';
import { type Problem, type ProblemKind, problem } from './problems.ts';
import { ALG, LABEL, NONCE_TTL_S, REQUEST_COMPONENTS, RESPONSE_COMPONENTS, TAG, WINDOW_S } from './profile.ts';

export interface Refusal {
  readonly ok: false;
  readonly problem: Problem;
}

/** What an accepted signature says, for the audit log and the idempotency layer. */
export interface Verified {
  readonly ok: true;
  readonly keyId: string;
  /** Unix seconds. */
  readonly created: number;
  readonly expires: number | null;
  readonly nonce: string | null;
  /** The verified Content-Digest field value. */
  readonly contentDigest: string;
}

export interface RequestVerifierOptions {
  /** Trusted client keys by key id (importVerifyKeys). */
  readonly keys: ReadonlyMap<string, CryptoKey>;
  readonly revokedKeyIds?: ReadonlySet<string>;
  readonly nonces: NonceStore;
  /** Epoch ms. */
  readonly now?: () => number;
}

export interface ResponseVerifierOptions {
  /** The bus's answer keys by key id (GSB_RESPONSE_KEYS through importVerifyKeys). */
  readonly keys: ReadonlyMap<string, CryptoKey>;
  readonly now?: () => number;
}

/** Base64url of at least 16 bytes, as the signing profile asks of a nonce. */
const NONCE = /^[A-Za-z0-9_-]{22,}$/;

interface Policy {
  readonly components: readonly ComponentId[];
  readonly params: readonly (keyof SignatureParams)[];
  readonly tag?: string;
  readonly keys: ReadonlyMap<string, CryptoKey>;
  readonly revokedKeyIds?: ReadonlySet<string>;
  readonly now: () => number;
}

/**
 * Verifies a request to the bus: its `sig1` signature (with a trusted, unrevoked key, covering at
 * least the components the profile requires of a request, created within 300 s of now and not
 * expired), its Content-Digest against the exact body bytes, and its nonce (unused within the
 * window).
 */
export async function verifyRequest(
  message: RequestMessage,
  body: BufferSource,
  { nonces, now = Date.now, ...options }: RequestVerifierOptions,
): Promise<Verified | Refusal> {
  const policy = {
    ...options,
    components: REQUEST_COMPONENTS,
    params: ['created', 'expires', 'nonce', 'keyid', 'alg', 'tag'] as const,
    tag: TAG,
    now,
  };
  const verified = await verifyMessage(message, body, policy);
  if (!verified.ok) return verified;
  // The policy requires a nonce, so an accepted request has one.
  if (!(await nonces.claim(verified.keyId, verified.nonce as string, now() + NONCE_TTL_S * 1000))) {
    return refuse('nonceReplayed', `key ${verified.keyId} already used this nonce`);
  }
  return verified;
}

/**
 * Verifies an answer of the bus to `request`: its `sig1` signature (with a key of the bus's set,
 * covering the components the profile requires of an answer, which bind it to `request`, created
 * within 300 s of now) and its Content-Digest. An unsigned answer is refused like a mis-signed one.
 */
export async function verifyResponse(
  message: ResponseMessage,
  body: BufferSource,
  request: RequestMessage,
  { now = Date.now, keys }: ResponseVerifierOptions,
): Promise<Verified | Refusal> {
  const policy = { keys, components: RESPONSE_COMPONENTS, params: ['created', 'keyid', 'alg'] as const, now };
  return verifyMessage(message, body, policy, request);
}

async function verifyMessage(
  message: Message,
  body: BufferSource,
  policy: Policy,
  request?: RequestMessage,
): Promise<Verified | Refusal> {
  let received: ReceivedSignature | null;
  try {
    received = readSignature(message, LABEL);
  } catch (error) {
    if (error instanceof SignatureFormatError) return refuse('signatureMalformed', error.message);
    throw error;
  }
  if (!received) return refuse('signatureMissing', `no ${LABEL} in Signature-Input and Signature`);

  const { components, params } = received;
  const uncovered = policy.components.filter(
    (wanted) => !components.some((c) => c.name === wanted.name && !!c.req === !!wanted.req),
  );
  if (uncovered.length > 0) {
    return refuse('signatureIncomplete', `the signature does not cover ${uncovered.map(identifier).join(', ')}`);
  }
  const absent = policy.params.filter((name) => params[name] === undefined);
  if (absent.length > 0) return refuse('signatureIncomplete', `the signature lacks ${absent.join(', ')}`);
  if (params.alg !== ALG) return refuse('signatureIncomplete', `the algorithm must be ${ALG}`);
  if (policy.tag !== undefined && params.tag !== policy.tag) {
    return refuse('signatureIncomplete', `the tag must be ${policy.tag}`);
  }
  if (params.nonce !== undefined && !NONCE.test(params.nonce)) {
    return refuse('signatureIncomplete', 'the nonce must be base64url of at least 16 bytes');
  }

  // Present, as policy.params demands both.
  const keyId = params.keyid as string;
  const created = params.created as number;
  if (policy.revokedKeyIds?.has(keyId)) return refuse('keyRevoked', `key ${keyId} is revoked`);
  const key = policy.keys.get(keyId);
  if (!key) return refuse('keyUnknown', `key ${keyId} is not trusted here`);

  const now = Math.floor(policy.now() / 1000);
  if (Math.abs(now - created) > WINDOW_S) {
    return refuse('signatureOutOfWindow', `created ${created} is more than ${WINDOW_S} s from now (${now})`);
  }
  if (params.expires !== undefined && params.expires < now) {
    return refuse('signatureExpired', `the signature expired at ${params.expires}, now is ${now}`);
  }

  let base: string;
  try {
    base = signatureBase(received.covered, message, request);
  } catch (error) {
    if (error instanceof SignatureBaseError) return refuse('signatureInvalid', error.message);
    throw error;
  }
  if (!(await verifyBase(key, base, received.signature))) {
    return refuse('signatureInvalid', `the signature by key ${keyId} does not match the message`);
  }

  const contentDigest = fieldValue(message.headers, 'content-digest');
  const digest = await verifyContentDigest(contentDigest, body);
  if (!digest.ok) return refuse('contentDigestMismatch', DIGEST_DETAILS[digest.reason]);

  return {
    ok: true,
    keyId,
    created,
    expires: params.expires ?? null,
    nonce: params.nonce ?? null,
    contentDigest: contentDigest as string,
  };
}

const DIGEST_DETAILS = {
  missing: 'the message has no Content-Digest',
  malformed: 'Content-Digest is not a dictionary of byte sequences',
  unsupported: 'Content-Digest has neither sha-256 nor sha-512',
  mismatch: 'Content-Digest does not match the content bytes',
} as const;

function identifier({ name, req }: ComponentId): string {
  return `"${name}"${req ? ';req' : ''}`;
}

function refuse(kind: ProblemKind, detail: string): Refusal {
  return { ok: false, problem: problem(kind, detail) };
}
