/**
 * Starts what the integration tests talk to, on free ports of 127.0.0.1: the local libSQL
 * server (migrated), the GSB sandbox, the municipality's sandbox, the Gap sandbox and one Bot API sandbox each for Soroush
 * and Bale. Their addresses reach the workerd pool through `provide`; everything stops when the
 * run ends.
 */
import type { TestProject } from 'vitest/node';
import { startLocalStack } from '../../dev/local-stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    workerVars: Record<string, string>;
  }
}

export default async function setup(project: TestProject) {
  const stack = await startLocalStack({
    parts: ['libsql', 'gsb', 'municipality', 'gap', 'soroush', 'bale'],
    gsb: { recordsInLibsql: true, slowMs: 3_000 },
  });
  project.provide('workerVars', stack.vars);
  return stack.stop;
}
