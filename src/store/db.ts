/**
 * The database handle. The HTTP client speaks the libSQL remote protocol over fetch (one request
 * per batch, no WebSocket code in the bundle), so the same code reaches Turso, a self-hosted sqld
 * or the local dev server from Workers, Deno and Node.
 */
import { createClient } from '@libsql/client/http';
import { drizzle } from 'drizzle-orm/libsql/http';
import { SealError, type Sealer } from '../crypto/seal.ts';
import { log } from '../log.ts';
import type { AuditChain } from './audit-chain.ts';
import * as schema from './schema.ts';

/**
 * Every round trip ends within this: a database that stops answering fails the webhook with a 503
 * in seconds (the messenger retries), rather than hold it until the messenger gives up.
 */
export const DB_DEADLINE_MS = 5_000;

const withDeadline = (input: RequestInfo | URL, init?: RequestInit) =>
  fetch(input, { ...init, signal: AbortSignal.timeout(DB_DEADLINE_MS) });

export function openDb(url: string, authToken?: string) {
  // The client's default of 20 queries at once makes the 21st wait and then start from another
  // request's context, which workerd cancels as hung when that request ends: the slot is never
  // freed and the isolate stalls. The server (and the Worker's own limits) bound concurrency instead.
  const client = createClient({ url, authToken, concurrency: Number.POSITIVE_INFINITY, fetch: withDeadline });
  return drizzle(client, { schema });
}

export type Db = ReturnType<typeof openDb>;

/** A chat, as every table keys it. */
export interface ChatKey {
  channel: string;
  chatId: string;
}

/** The database, the sealer every stored payload goes through, and this writer's audit chain. */
export interface Store {
  db: Db;
  sealer: Sealer;
  audit: AuditChain;
}

/** The sealing context of a chat's rows in a table: a sealed value opens only where it was sealed. */
export function sealContext(table: string, chat: ChatKey): string {
  return `${table}:${chat.channel}:${chat.chatId}`;
}

/**
 * A sealed JSON value of a chat's row in `table`, opened; null when no key opens it (a key retired
 * too early), said in the log with the table and never the value.
 */
export async function openSealedJson<T>(store: Store, table: string, chat: ChatKey, sealed: string): Promise<T | null> {
  try {
    return JSON.parse(await store.sealer.open(sealed, sealContext(table, chat))) as T;
  } catch (error) {
    if (!(error instanceof SealError)) throw error;
    log('unreadable', { table, channel: chat.channel });
    return null;
  }
}
