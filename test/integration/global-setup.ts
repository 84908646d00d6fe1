/**
 * Starts what the integration tests talk to, on free ports of 127.0.0.1: the local libSQL
 * server (migrated), the GSB sandbox and the Gap sandbox. Their addresses reach the workerd
 * pool through `provide`; everything stops when the run ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startGapSandbox } from '../../dev/gap-sandbox.ts';
import { startGsbSandbox } from '../../dev/gsb-sandbox.ts';
import { startLibsqlServer } from '../../dev/libsql-server.ts';
import { localGap, localGsb, workerVars } from '../../dev/local-settings.ts';
import { applyMigrations } from '../../dev/migrate.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    workerVars: Record<string, string>;
  }
}

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'pishkhan-test-'));
  const libsql = await startLibsqlServer({ file: join(dir, 'pishkhan.db') });
  await applyMigrations(libsql.url);
  const gsb = await startGsbSandbox({ ...localGsb, slowMs: 3_000 });
  const gap = await startGapSandbox({ token: localGap.token });
  project.provide('workerVars', workerVars({ libsql: libsql.url, gsb: gsb.url, gap: gap.url }));

  return async () => {
    await Promise.all([gap.close(), gsb.close(), libsql.close()]);
    rmSync(dir, { recursive: true, force: true });
  };
}
