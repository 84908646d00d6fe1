/**
 * Starts what the integration tests talk to, on free ports of 127.0.0.1: the local libSQL
 * server (migrated), the GSB sandbox, the Gap sandbox and one Bot API sandbox each for Soroush
 * and Bale. Their addresses reach the workerd pool through `provide`; everything stops when the
 * run ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startBotApiSandbox } from '../../dev/bot-api-sandbox.ts';
import { startGapSandbox } from '../../dev/gap-sandbox.ts';
import { startGsbSandbox } from '../../dev/gsb-sandbox.ts';
import { startLibsqlServer } from '../../dev/libsql-server/index.ts';
import { localSandboxKeys } from '../../dev/local-keys.ts';
import { localBale, localGap, localGsb, localSoroush, workerVars } from '../../dev/local-settings.ts';
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
  const gsb = await startGsbSandbox({ ...localGsb, ...localSandboxKeys, libsqlUrl: libsql.url, slowMs: 3_000 });
  const gap = await startGapSandbox({ token: localGap.token });
  const soroush = await startBotApiSandbox({ token: localSoroush.token, textLimit: 4000 });
  const bale = await startBotApiSandbox({ token: localBale.token });
  const urls = { libsql: libsql.url, gsb: gsb.url, gap: gap.url, soroush: soroush.url, bale: bale.url };
  project.provide('workerVars', workerVars(urls));

  return async () => {
    await Promise.all([bale.close(), soroush.close(), gap.close(), gsb.close(), libsql.close()]);
    rmSync(dir, { recursive: true, force: true });
  };
}
