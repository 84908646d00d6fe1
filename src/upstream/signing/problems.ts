/**
 * The signed link's problem types (RFC 9457), one per refusal of the verifier
 * (docs/bus.md#problem-types), all under https://pishkhan.ir/problems/. A client can act on `type`
 * alone; `detail` explains the case with component names, key ids and times, never with header
 * values or body content.
 */

const BASE = 'https://pishkhan.ir/problems/';

/** Every problem the channel can answer with: its type URI, title and HTTP status. */
export const PROBLEMS = {
  signatureMissing: { type: `${BASE}signature-missing`, title: 'The message is not signed', status: 401 },
  signatureMalformed: {
    type: `${BASE}signature-malformed`,
    title: 'Signature-Input or Signature is malformed',
    status: 401,
  },
  signatureIncomplete: {
    type: `${BASE}signature-incomplete`,
    title: 'The signature does not cover what the channel requires',
    status: 401,
  },
  keyUnknown: { type: `${BASE}key-unknown`, title: 'The signing key is not known', status: 401 },
  keyRevoked: { type: `${BASE}key-revoked`, title: 'The signing key is revoked', status: 401 },
  signatureInvalid: { type: `${BASE}signature-invalid`, title: 'The signature does not verify', status: 401 },
  signatureOutOfWindow: {
    type: `${BASE}signature-out-of-window`,
    title: 'The signature was not created within the allowed window',
    status: 401,
  },
  signatureExpired: { type: `${BASE}signature-expired`, title: 'The signature has expired', status: 401 },
  nonceReplayed: { type: `${BASE}nonce-replayed`, title: 'The nonce was already used', status: 401 },
  contentDigestMismatch: {
    type: `${BASE}content-digest-mismatch`,
    title: 'Content-Digest does not match the content',
    status: 400,
  },
  // Answered by the idempotency layer in front of the operations (not by the verifier).
  idempotencyKeyReused: {
    type: `${BASE}idempotency-key-reused`,
    title: 'The Idempotency-Key was used with another body',
    status: 422,
  },
  idempotencyKeyInFlight: {
    type: `${BASE}idempotency-key-in-flight`,
    title: 'A request with this Idempotency-Key is still being processed',
    status: 409,
  },
} as const;

export type ProblemKind = keyof typeof PROBLEMS;

/** An RFC 9457 problem details object. */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
}

/** The problem of `kind`, with a detail that must not hold personal data. */
export function problem(kind: ProblemKind, detail: string): Problem {
  return { ...PROBLEMS[kind], detail };
}
