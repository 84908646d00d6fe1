/** The Cloudflare Workers entry: wires the app and the scheduled work to the Workers runtime. */
import { createApp } from './app.ts';
import { runScheduled, STREAM_HOLD_MS } from './pipeline/scheduled.ts';
import type { EnvVars } from './types.ts';

/**
 * Workers cut `waitUntil` work 30 s after the response: processing ends a little before, and
 * leaves what did not fit (a slow bus) to the cron's sweep.
 */
const BACKGROUND_MS = 28_000;

const app = createApp({ waitUntil: (c, work) => c.executionCtx.waitUntil(work), backgroundMs: BACKGROUND_MS });

export default {
  fetch: app.fetch,
  // Env: the variables and secrets wrangler.toml declares (worker-configuration.d.ts, `npm run cf-typegen`).
  scheduled(_controller: unknown, env: Env & EnvVars, ctx: { waitUntil(work: Promise<unknown>): void }) {
    ctx.waitUntil(runScheduled(env, { streamHoldMs: STREAM_HOLD_MS }));
  },
};
