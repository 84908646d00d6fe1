/** A migrated database on a local libSQL server of its own, for store tests in Node. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLibsqlServer } from '../../../dev/libsql-server/index.ts';
import { applyMigrations } from '../../../dev/migrate.ts';
import { type Db, openDb } from '../../../src/store/db.ts';

export async function startLocalDb(): Promise<{ db: Db; url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'pishkhan-store-'));
  const server = await startLibsqlServer({ file: join(dir, 'test.db') });
  await applyMigrations(server.url);
  return {
    db: openDb(server.url),
    url: server.url,
    async stop() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
