/**
 * Applies the SQL migrations of migrations/ to a libSQL server, as `drizzle-kit migrate` would,
 * over the app's own HTTP driver: no native module, so it runs where only the production
 * dependencies are installed (ops/migrate.ts, bundled as dist/migrate.mjs).
 */
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client/http';
import { drizzle } from 'drizzle-orm/libsql/http';
import { migrate } from 'drizzle-orm/libsql/migrator';

const MIGRATIONS = fileURLToPath(new URL('../migrations', import.meta.url));

export async function applyMigrations(url: string, authToken?: string): Promise<void> {
  const client = createClient({ url, authToken });
  try {
    await migrate(drizzle(client), { migrationsFolder: MIGRATIONS });
  } finally {
    client.close();
  }
}
