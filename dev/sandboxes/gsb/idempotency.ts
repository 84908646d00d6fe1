/**
 * The GSB sandbox's idempotency records in memory, for a sandbox without a libSQL database: the
 * same rules as LibsqlIdempotencyStore (the IETF Idempotency-Key draft, docs/upstream.md).
 */
import {
  type IdempotencyClaim,
  type IdempotencyStore,
  IN_FLIGHT_TTL_MS,
  isCompleted,
  type StoredAnswer,
} from './stores.ts';

export class MemoryIdempotencyStore implements IdempotencyStore {
  /** A record without an answer is in flight since `at`. */
  private readonly records = new Map<string, { fingerprint: string; at: number; answer?: StoredAnswer }>();

  constructor(private readonly now: () => number = Date.now) {}

  async claim(key: string, fingerprint: string): Promise<IdempotencyClaim> {
    const record = this.records.get(key);
    if (!record) {
      this.records.set(key, { fingerprint, at: this.now() });
      return { kind: 'new' };
    }
    if (record.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (record.answer) return { kind: 'replay', answer: record.answer };
    // In flight for longer than any client waits: its first request died, and the key is free again.
    if (this.now() - record.at > IN_FLIGHT_TTL_MS) {
      record.at = this.now();
      return { kind: 'new' };
    }
    return { kind: 'in-flight' };
  }

  async inFlight(): Promise<number> {
    return [...this.records.values()].filter((record) => !record.answer).length;
  }

  async complete(key: string, answer: StoredAnswer): Promise<void> {
    const record = this.records.get(key);
    if (!record || record.answer) return;
    if (isCompleted(answer.status)) record.answer = answer;
    else this.records.delete(key);
  }
}
