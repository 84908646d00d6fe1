/**
 * What the client tells the audit log about each attempt (docs/bus.md#audit-log), and how the subject
 * of a call is kept out of it: only a keyed hash (HMAC with PII_PEPPER) and a masked tail.
 */
import type { KeyedHash } from '../crypto/keyed-hash.ts';
import type { AuditChain } from '../store/audit-chain.ts';

/** One attempt of a call, as the client saw it. */
export interface AttemptRecord {
  /** Epoch ms, when the attempt was sent. */
  at: number;
  service: string;
  /** The attempt's X-Request-Id. */
  requestId: string;
  idempotencyKey: string;
  keyId: string;
  /** The signature's `created` (unix s) and nonce. */
  created: number;
  nonce: string;
  requestDigest: string;
  /** The answer's Content-Digest as received, null when it had none or no answer came. */
  responseDigest: string | null;
  /** Null when no answer came (a timeout or a refused connection). */
  status: number | null;
  latencyMs: number;
  /** The identifier the call is about (personal data): never stored as it is. */
  subject?: string;
}

/** Appends one attempt to the audit log. */
export type AuditSink = (attempt: AttemptRecord) => Promise<void>;

/** Keeps the hash of a subject apart from the other uses of the same pepper (dedupe keys). */
const SUBJECT_CONTEXT = 'audit-subject\n';
/** Shorter identifiers are masked whole: four digits of a short one would say too much of it. */
const MIN_TAILED_LENGTH = 8;
const TAIL_LENGTH = 4;

/** The audit sink of a writer's chain: links each attempt into it, to be written with its next batch. */
export function auditTrail(chain: AuditChain, hash: KeyedHash): AuditSink {
  return async ({ subject, ...attempt }) => {
    await chain.append({
      ...attempt,
      subjectHash: subject ? await subjectHash(hash, subject) : null,
      subjectTail: subject ? maskedTail(subject) : null,
    });
  };
}

/** The keyed hash an operator (who holds the pepper) computes to find the rows about a subject. */
export function subjectHash(hash: KeyedHash, subject: string): Promise<string> {
  return hash(`${SUBJECT_CONTEXT}${subject}`);
}

/** `1193653471` → `******3471`: as long as the subject, all but its last four characters masked. */
export function maskedTail(subject: string): string {
  const shown = subject.length >= MIN_TAILED_LENGTH ? TAIL_LENGTH : 0;
  return '*'.repeat(subject.length - shown) + subject.slice(subject.length - shown);
}
