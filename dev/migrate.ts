/**
 * Applies the SQL migrations of migrations/ to a libSQL server, as `drizzle-kit migrate` would,
 * over the app's own HTTP driver: no native module, so it runs where only the production
 * dependencies are installed (ops/migrate.ts, bundled as dist/migrate.mjs).
 */
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { drizzleOver } from '../src/store/db.ts';
import { openLibsqlHttp } from '../src/store/libsql-http.ts';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

export async function applyMigrations(url: string, authToken?: string): Promise<void> {
  // Without the app's per-request deadline (store/db.ts): rebuilding a large table may take longer.
  const client = openLibsqlHttp({ url, authToken });
  await migrate(drizzleOver(client), { migrationsFolder: MIGRATIONS });
}
