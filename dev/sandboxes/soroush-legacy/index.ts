/**
 * Soroush legacy sandbox: a fake of Soroush's older bot API, an SSE update stream and sendMessage
 * (api.ts), plus the citizen's side of the chat and the stream's faults (control.ts), so the legacy
 * channel can be run and tested without the service.
 */
import { Hono } from 'hono';
import { listen, type RunningServer } from '../kit/serve.ts';
import { serveLegacyApi } from './api.ts';
import { serveLegacyControl } from './control.ts';
import { type LegacyEnv, LegacyState, type SoroushLegacySandboxOptions } from './state.ts';

export type { LegacyBotMessage, LegacyConnection, SoroushLegacySandboxOptions } from './state.ts';
export type { RunningServer };

export function createSoroushLegacySandbox(options: SoroushLegacySandboxOptions): Hono<LegacyEnv> {
  const state = new LegacyState(options);
  const app = new Hono<LegacyEnv>();
  // The control routes first: the API's catch-all /<token>/<method> would swallow them.
  serveLegacyControl(app, state);
  serveLegacyApi(app, state);
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  return app;
}

export function startSoroushLegacySandbox(options: SoroushLegacySandboxOptions): Promise<RunningServer> {
  return listen(createSoroushLegacySandbox(options), options.port, options.host);
}
