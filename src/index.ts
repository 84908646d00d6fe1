/** The Cloudflare Workers entry: wires the app and the scheduled work to the Workers runtime. */
import { createApp } from './app.ts';
import { runScheduled } from './pipeline/scheduled.ts';
import type { EnvVars } from './types.ts';

/**
 * Workers cut `waitUntil` work 30 s after the response: processing ends a little before, and
 * leaves what did not fit (a slow bus) to the cron's sweep.
 */
const BACKGROUND_MS = 28_000;

const app = createApp({ waitUntil: (c, work) => c.executionCtx.waitUntil(work), backgroundMs: BACKGROUND_MS });

/**
 * Workers keep no process running, so an update stream (Soroush legacy) is read by the cron run,
 * for most of each minute: best effort, since what the messenger sends in the gaps between holds
 * and does not replay on Last-Event-ID is missed (README). The Node and Deno entries read it all the time.
 */
const STREAM_HOLD_MS = 50_000;

export default {
  fetch: app.fetch,
  scheduled(_controller: unknown, env: EnvVars, ctx: { waitUntil(work: Promise<unknown>): void }) {
    ctx.waitUntil(runScheduled(env, { streamHoldMs: STREAM_HOLD_MS }));
  },
};
