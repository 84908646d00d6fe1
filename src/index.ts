/** The Cloudflare Workers entry: wires the app and the sweep to the Workers runtime. */
import type { EnvVars } from './channels/types.ts';
import { createApp, runScheduled } from './app.ts';

const app = createApp({ waitUntil: (c, work) => c.executionCtx.waitUntil(work) });

export default {
  fetch: app.fetch,
  scheduled(_controller: unknown, env: EnvVars, ctx: { waitUntil(work: Promise<unknown>): void }) {
    ctx.waitUntil(runScheduled(env));
  },
};
