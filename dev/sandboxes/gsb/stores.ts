/**
 * The GSB sandbox's memory of nonces and idempotency records in libSQL, so that two sandboxes on
 * one database refuse each other's replays. They are the bus's tables, not Pishkhan's: the sandbox
 * creates them itself (`sandbox_nonces`, `sandbox_idempotency`) and no migration of the app holds them.
 */
import { type Client, createClient } from '@libsql/client';
import type { NonceStore } from '../../../src/upstream/signing/nonce-store.ts';

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

/** What the sandbox needs of an idempotency store: this one, or the memory one (idempotency.ts). */
export interface IdempotencyStore {
  /** Claims `key` for a request whose body has `fingerprint`, or says why not. */
  claim(key: string, fingerprint: string): Promise<IdempotencyClaim>;
  /** Keeps a completed answer (2xx, 400, 404) for replay; anything else frees the key, so a retry does the work. */
  complete(key: string, answer: StoredAnswer): Promise<void>;
  /** How many first requests are in flight now (GET /_sandbox/in-flight: what a test waits on). */
  inFlight(): Promise<number>;
}

/**
 * How long a first request may stay in flight before its key is free again: longer than a client's
 * deadline (20 s), so a request still being answered is never done twice, and short enough that a
 * request that died (its connection cut mid-way) does not block its key for ever.
 */
export const IN_FLIGHT_TTL_MS = 30_000;

/** Only completed answers are kept; a 5xx or 429 frees the key, so a retry does the work. */
export function isCompleted(status: number): boolean {
  return (status >= 200 && status < 300) || status === 400 || status === 404;
}

/** The sandbox's two tables on a libSQL server, created on first use. */
export class SandboxDatabase {
  readonly client: Client;
  readonly ready: Promise<unknown>;

  constructor(url: string, authToken?: string) {
    this.client = createClient({ url, authToken });
    this.ready = this.client.batch(
      [
        `create table if not exists sandbox_nonces (key_id text not null, nonce text not null,
          expires_at integer not null, primary key (key_id, nonce))`,
        `create table if not exists sandbox_idempotency (key text primary key, fingerprint text not null,
          status integer, content_type text, body text, created_at integer not null)`,
      ],
      'write',
    );
  }
}

/** A claim is one upsert: it wins when the nonce is new or its earlier claim has expired. */
export class LibsqlNonceStore implements NonceStore {
  constructor(
    private readonly database: SandboxDatabase,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(keyId: string, nonce: string, expiresAt: number): Promise<boolean> {
    await this.database.ready;
    const { rows } = await this.database.client.execute({
      sql: `insert into sandbox_nonces (key_id, nonce, expires_at) values (?, ?, ?)
        on conflict (key_id, nonce) do update set expires_at = excluded.expires_at
          where sandbox_nonces.expires_at <= ?
        returning nonce`,
      args: [keyId, nonce, expiresAt, this.now()],
    });
    return rows.length === 1;
  }

  /** Forgets expired nonces. */
  async purge(): Promise<number> {
    await this.database.ready;
    const result = await this.database.client.execute({
      sql: 'delete from sandbox_nonces where expires_at <= ?',
      args: [this.now()],
    });
    return result.rowsAffected;
  }
}

/** Idempotency records, as the IETF Idempotency-Key draft has them. */
export class LibsqlIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly database: SandboxDatabase,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(key: string, fingerprint: string): Promise<IdempotencyClaim> {
    await this.database.ready;
    const [claimed, existing] = await this.database.client.batch(
      [
        {
          // New, or in flight for longer than any client waits: its first request died.
          sql: `insert into sandbox_idempotency (key, fingerprint, created_at) values (?, ?, ?)
            on conflict (key) do update set created_at = excluded.created_at
              where sandbox_idempotency.status is null and sandbox_idempotency.created_at < ?
                and sandbox_idempotency.fingerprint = excluded.fingerprint
            returning key`,
          args: [key, fingerprint, this.now(), this.now() - IN_FLIGHT_TTL_MS],
        },
        { sql: 'select fingerprint, status, content_type, body from sandbox_idempotency where key = ?', args: [key] },
      ],
      'write',
    );
    if (claimed?.rows.length === 1) return { kind: 'new' };
    const record = existing?.rows[0];
    if (!record) return { kind: 'new' };
    if (record.fingerprint !== fingerprint) return { kind: 'mismatch' };
    const { status, content_type: contentType, body } = record;
    if (typeof status !== 'number' || typeof contentType !== 'string' || typeof body !== 'string') {
      return { kind: 'in-flight' };
    }
    return { kind: 'replay', answer: { status, contentType, body } };
  }

  async inFlight(): Promise<number> {
    await this.database.ready;
    const { rows } = await this.database.client.execute(
      'select count(*) as n from sandbox_idempotency where status is null',
    );
    return Number(rows[0]?.n ?? 0);
  }

  async complete(key: string, answer: StoredAnswer): Promise<void> {
    await this.database.ready;
    await this.database.client.execute(
      isCompleted(answer.status)
        ? {
            sql: `update sandbox_idempotency set status = ?, content_type = ?, body = ?
              where key = ? and status is null`,
            args: [answer.status, answer.contentType, answer.body, key],
          }
        : { sql: 'delete from sandbox_idempotency where key = ? and status is null', args: [key] },
    );
  }
}
