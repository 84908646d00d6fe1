/**
 * The GSB sandbox's idempotency records in memory, for a sandbox without a libSQL database: the
 * same rules as LibsqlIdempotencyStore (the IETF Idempotency-Key draft, docs/upstream.md).
 */
import { type IdempotencyClaim, type IdempotencyStore, isCompleted, type StoredAnswer } from './stores.ts';

export class MemoryIdempotencyStore implements IdempotencyStore {
  /** A record without an answer is in flight. */
  private readonly records = new Map<string, { fingerprint: string; answer?: StoredAnswer }>();

  async claim(key: string, fingerprint: string): Promise<IdempotencyClaim> {
    const record = this.records.get(key);
    if (!record) {
      this.records.set(key, { fingerprint });
      return { kind: 'new' };
    }
    if (record.fingerprint !== fingerprint) return { kind: 'mismatch' };
    return record.answer ? { kind: 'replay', answer: record.answer } : { kind: 'in-flight' };
  }

  async complete(key: string, answer: StoredAnswer): Promise<void> {
    const record = this.records.get(key);
    if (!record || record.answer) return;
    if (isCompleted(answer.status)) record.answer = answer;
    else this.records.delete(key);
  }
}
