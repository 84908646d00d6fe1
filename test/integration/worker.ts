/** The Workers entry called directly, as the runtime would: a request under given variables, and the cron run. */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import worker from '../../src/index.ts';

/** `path` on the worker under `vars`, once everything it left to run afterwards has run. */
export async function callWorker(path: string, vars: Record<string, unknown>, init?: RequestInit): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(new Request(`https://pishkhan.test${path}`, init), vars, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/** One scheduled run (the sweep, the notices' checks) under `vars`, to its end. */
export async function runScheduled(vars: Record<string, unknown> = env): Promise<void> {
  const ctx = createExecutionContext();
  worker.scheduled({}, vars as typeof env, ctx);
  await waitOnExecutionContext(ctx);
}
