/**
 * The database handle: drizzle's libSQL driver over the libSQL server's HTTP protocol
 * (libsql-http.ts: one request per statement or batch, over fetch), so the same code reaches Turso,
 * a self-hosted sqld or the local dev server from Workers, Deno and Node.
 */
import { and, type Column, type DrizzleConfig, eq } from 'drizzle-orm';
import { construct, type LibSQLDatabase } from 'drizzle-orm/libsql/driver-core';
import { SealError, type Sealer } from '../crypto/seal.ts';
import { log } from '../log.ts';
import type { AuditChain } from './audit-chain.ts';
import { type LibsqlHttpClient, openLibsqlHttp } from './libsql-http.ts';
import * as schema from './schema.ts';

/**
 * Every round trip ends within this: a database that stops answering fails the webhook with a 503
 * in seconds (the messenger retries), rather than hold it until the messenger gives up.
 */
export const DB_DEADLINE_MS = 5_000;

const withDeadline = (input: RequestInfo | URL, init?: RequestInit) =>
  fetch(input, { ...init, signal: AbortSignal.timeout(DB_DEADLINE_MS) });

declare module 'drizzle-orm/libsql/driver-core' {
  /**
   * The driver on a client the caller made, as drizzle-orm/libsql/http builds it but without that
   * entry's static import of @libsql/client. Exported by the module, left out of its typings. Its
   * session calls only execute, batch and migrate of the client (db.transaction, which would hold
   * a stream across round trips, is not used).
   */
  function construct<TSchema extends Record<string, unknown>, TClient extends LibsqlHttpClient>(
    client: TClient,
    config?: DrizzleConfig<TSchema>,
  ): LibSQLDatabase<TSchema> & { $client: TClient };
}

/** drizzle's libSQL driver over `client`, with the app's tables. */
export function drizzleOver(client: LibsqlHttpClient) {
  return construct(client, { schema });
}

export function openDb(url: string, authToken?: string) {
  return drizzleOver(openLibsqlHttp({ url, authToken, fetch: withDeadline }));
}

export type Db = ReturnType<typeof openDb>;

/** A chat, as every table keys it. */
export interface ChatKey {
  channel: string;
  chatId: string;
}

/** The condition that picks `chat`'s rows of a table keyed by chat. */
export const ofChat = (table: { channel: Column; chatId: Column }, chat: ChatKey) =>
  and(eq(table.channel, chat.channel), eq(table.chatId, chat.chatId));

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
