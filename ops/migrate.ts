/**
 * `node dist/migrate.mjs` (built by `npm run build`): applies migrations/ to LIBSQL_URL, with
 * LIBSQL_AUTH_TOKEN when the server checks one, where only the production dependencies are
 * installed and drizzle-kit (`npm run db:migrate`) is not. Migrations already applied are skipped.
 * The bundle, one folder below the root as dev/ is, finds migrations/ beside dist/.
 */
import { applyMigrations } from '../dev/migrate.ts';
import { runCommand } from './command.ts';

runCommand(async () => {
  const url = process.env.LIBSQL_URL;
  if (!url) {
    console.error('usage: LIBSQL_URL=<libSQL server> [LIBSQL_AUTH_TOKEN=<token>] node dist/migrate.mjs');
    return 2;
  }
  // The driver's message names the failed statement or the refused connection, never a setting's value.
  await applyMigrations(url, process.env.LIBSQL_AUTH_TOKEN || undefined).catch((error: unknown) => {
    throw new Error(`migrations failed: ${error instanceof Error ? error.message : String(error)}`);
  });
  console.log('migrations applied: the database is at the latest migration in migrations/');
  return 0;
});
