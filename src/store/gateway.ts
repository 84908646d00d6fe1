/**
 * The verifying side's stores in libSQL (a gateway in front of the bus, or its sandbox): nonces
 * and idempotency records that hold across isolates, processes and restarts.
 */
import { and, eq, lte, sql } from 'drizzle-orm';
import type { NonceStore } from '../upstream/signing/nonce-store.ts';
import type { Store } from './db.ts';
import { gatewayIdempotency, gatewayNonces } from './schema.ts';

/** A claim is one upsert: it wins when the nonce is new or its earlier claim has expired. */
export class LibsqlNonceStore implements NonceStore {
  constructor(
    private readonly store: Pick<Store, 'db'>,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(keyId: string, nonce: string, expiresAt: number): Promise<boolean> {
    const claimed = await this.store.db
      .insert(gatewayNonces)
      .values({ keyId, nonce, expiresAt })
      .onConflictDoUpdate({
        target: [gatewayNonces.keyId, gatewayNonces.nonce],
        set: { expiresAt },
        setWhere: lte(gatewayNonces.expiresAt, this.now()),
      })
      .returning({ nonce: gatewayNonces.nonce });
    return claimed.length === 1;
  }

  /** Forgets expired nonces. */
  async purge(): Promise<number> {
    const result = await this.store.db.delete(gatewayNonces).where(lte(gatewayNonces.expiresAt, this.now()));
    return result.rowsAffected;
  }
}

export interface StoredAnswer {
  status: number;
  contentType: string;
  body: string;
}

export type IdempotencyClaim =
  | { kind: 'new' }
  /** The same key and body answered before: replay this. */
  | { kind: 'replay'; answer: StoredAnswer }
  /** The same key with another body (422). */
  | { kind: 'mismatch' }
  /** The first request with this key is still being processed (409). */
  | { kind: 'in-flight' };

/** Idempotency records, as the IETF Idempotency-Key draft has them; only completed answers are kept. */
export class LibsqlIdempotencyStore {
  constructor(
    private readonly store: Pick<Store, 'db'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Claims `key` for a request whose body has `fingerprint`, or says why not. */
  async claim(key: string, fingerprint: string): Promise<IdempotencyClaim> {
    const { db } = this.store;
    const [claimed, existing] = await db.batch([
      db
        .insert(gatewayIdempotency)
        .values({ key, fingerprint, createdAt: this.now() })
        .onConflictDoNothing()
        .returning({ key: gatewayIdempotency.key }),
      db.select().from(gatewayIdempotency).where(eq(gatewayIdempotency.key, key)),
    ]);
    if (claimed.length === 1) return { kind: 'new' };
    const record = existing[0];
    if (!record) return { kind: 'new' };
    if (record.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (record.status === null || record.body === null || record.contentType === null) return { kind: 'in-flight' };
    return { kind: 'replay', answer: { status: record.status, contentType: record.contentType, body: record.body } };
  }

  /** Keeps a completed answer (2xx, 400, 404) for replay; anything else frees the key, so a retry does the work. */
  async complete(key: string, answer: StoredAnswer): Promise<void> {
    const { db } = this.store;
    const completed = (answer.status >= 200 && answer.status < 300) || answer.status === 400 || answer.status === 404;
    if (completed) {
      await db
        .update(gatewayIdempotency)
        .set({ status: answer.status, contentType: answer.contentType, body: answer.body })
        .where(and(eq(gatewayIdempotency.key, key), sql`${gatewayIdempotency.status} is null`));
    } else {
      await db
        .delete(gatewayIdempotency)
        .where(and(eq(gatewayIdempotency.key, key), sql`${gatewayIdempotency.status} is null`));
    }
  }
}
