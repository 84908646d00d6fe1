/**
 * `node dist/migrate.mjs` (built by `npm run build`): applies migrations/ to LIBSQL_URL, with
 * LIBSQL_AUTH_TOKEN when the server checks one, where only the production dependencies are
 * installed and drizzle-kit (`npm run db:migrate`) is not. Migrations already applied are skipped.
 * The bundle, one folder below the root as dev/ is, finds migrations/ beside dist/.
 */
import { applyMigrations } from '../dev/migrate.ts';

const url = process.env.LIBSQL_URL;
if (!url) {
  console.error('usage: LIBSQL_URL=<libSQL server> [LIBSQL_AUTH_TOKEN=<token>] node dist/migrate.mjs');
  process.exit(2);
}
try {
  await applyMigrations(url, process.env.LIBSQL_AUTH_TOKEN || undefined);
  console.log('migrations applied: the database is at the latest migration in migrations/');
} catch (error) {
  // The driver's message names the failed statement or the refused connection, never a setting's value.
  console.error(`migrations failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
