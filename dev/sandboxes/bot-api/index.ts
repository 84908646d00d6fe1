/**
 * Bot API sandbox: a fake of a Telegram-style Bot API (api.ts; Soroush Plus and Bale: one fake,
 * started once per messenger with its own token) plus the citizen's side of the chat (control.ts),
 * so a developer can talk to the bot without an account, and tests can see what it sent and make
 * its sends fail.
 */
import { Hono } from 'hono';
import { listen, type RunningServer } from '../kit/serve.ts';
import { serveBotApi } from './api.ts';
import { serveBotApiControl } from './control.ts';
import { type BotApiSandboxOptions, BotApiState } from './state.ts';

export type { BotApiBotMessage, BotApiSandboxOptions } from './state.ts';
export type { RunningServer };

export function createBotApiSandbox(options: BotApiSandboxOptions): Hono {
  const state = new BotApiState(options);
  const app = new Hono();
  serveBotApi(app, state);
  serveBotApiControl(app, state);
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  return app;
}

export function startBotApiSandbox(options: BotApiSandboxOptions): Promise<RunningServer> {
  return listen(createBotApiSandbox(options), options.port, options.host);
}
