/**
 * The database handle. The web client speaks the libSQL remote protocol over fetch, so the same
 * code reaches Turso, a self-hosted sqld or the local dev server from Workers, Deno and Node.
 */
import { createClient } from '@libsql/client/web';
import { drizzle } from 'drizzle-orm/libsql/web';
import * as schema from './schema.ts';

export function openDb(url: string, authToken?: string) {
  return drizzle(createClient({ url, authToken }), { schema });
}

export type Db = ReturnType<typeof openDb>;

/** A chat, as every table keys it. */
export interface ChatKey {
  channel: string;
  chatId: string;
}
