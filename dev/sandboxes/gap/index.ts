/**
 * Gap sandbox: a fake of Gap's bot API (api.ts) plus the citizen's side of the chat and a web chat
 * console (control.ts), so a developer can talk to the bot without a Gap account, and tests can
 * see what it sent and make its sends fail.
 */
import { Hono } from 'hono';
import { listen, type RunningServer } from '../kit/serve.ts';
import { serveGapApi } from './api.ts';
import { serveGapControl } from './control.ts';
import { type GapSandboxOptions, GapState } from './state.ts';

export type { GapBotMessage, GapSandboxOptions } from './state.ts';
export type { RunningServer };

export function createGapSandbox(options: GapSandboxOptions): Hono {
  const state = new GapState(options);
  const app = new Hono();
  serveGapApi(app, state);
  serveGapControl(app, state);
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  return app;
}

export function startGapSandbox(options: GapSandboxOptions): Promise<RunningServer> {
  return listen(createGapSandbox(options), options.port, options.host);
}
