/**
 * The HTTP surface: health, readiness and the messengers' webhooks. A webhook is checked,
 * parsed and claimed in the inbox, answered at once, and processed after the answer through
 * the runtime's `waitUntil` (the entry supplies it, so this module runs on Workers, Deno and Node).
 */
import { sql } from 'drizzle-orm';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { EnvVars, ParsedUpdate } from './channels/types.ts';
import { channelsFor, depsFor } from './deps.ts';
import { ChannelError, ConfigError } from './errors.ts';
import { log, logError } from './log.ts';
import { processChat } from './pipeline/process-chat.ts';
import { sweep } from './pipeline/sweep.ts';
import { claimEvent } from './store/inbox.ts';
import type { InboundEvent } from './types.ts';
import { timingSafeEqual } from './crypto/timing-safe.ts';

export interface Runtime {
  /** Keeps `work` running after the response has been sent. */
  waitUntil(c: Context, work: Promise<void>): void;
}

/** One run of the scheduled sweep, for the entries' cron trigger or timer. */
export async function runScheduled(env: EnvVars): Promise<void> {
  try {
    await sweep(await depsFor(env));
  } catch (error) {
    logError('sweep-failed', error);
  }
}

type Env = { Bindings: EnvVars };

/** Messengers send small updates; anything larger is refused before it is read. */
export const MAX_WEBHOOK_BYTES = 64 * 1024;
/** How long an update id that is unique by itself (a button's callback id) stays claimed. */
const UNIQUE_ID_CLAIM_MS = 7 * 24 * 60 * 60_000;

export function createApp(runtime: Runtime): Hono<Env> {
  const app = new Hono<Env>();

  app.get('/healthz', (c) => c.json({ ok: true }));

  app.get('/readyz', async (c) => {
    const deps = await depsFor(c.env);
    await deps.store.db.run(sql`select 1`);
    return c.json({ ok: true, channels: [...deps.channels.keys()] });
  });

  app.post(
    '/webhooks/:channel/:secret',
    bodyLimit({ maxSize: MAX_WEBHOOK_BYTES, onError: (c) => c.json({ error: 'body too large' }, 413) }),
    async (c) => {
      const started = Date.now();
      const channel = channelsFor(c.env).get(c.req.param('channel'));
      // An unknown messenger, one that is off, a wrong secret and a wrong secret-token header all
      // look the same from outside.
      if (
        !channel ||
        !(await timingSafeEqual(c.req.param('secret'), channel.webhookSecret)) ||
        (channel.verify && !(await channel.verify(c.req.raw.headers)))
      ) {
        return c.json({ error: 'not found' }, 404);
      }
      const deps = await depsFor(c.env);
      // Decoded by hand: workerd warns when .text() reads a form body.
      const text = new TextDecoder().decode(await c.req.arrayBuffer());
      const body = { contentType: c.req.header('content-type') ?? '', text };
      let parsed: ParsedUpdate;
      try {
        parsed = channel.parse(body, deps.now());
      } catch (error) {
        if (!(error instanceof ChannelError)) throw error;
        log('webhook', { channel: channel.id, outcome: 'malformed', ms: Date.now() - started });
        return c.json({ error: error.reason }, 400);
      }
      const { dedupe } = parsed;
      const event: InboundEvent = { ...parsed.event, dedupeKey: await deps.hash(`${channel.id}\n${dedupe.basis}`) };
      const claim = { key: event.dedupeKey, expiresAt: event.receivedAt + (dedupe.windowMs ?? UNIQUE_ID_CLAIM_MS) };
      const id = await claimEvent(deps.store, event, claim, deps.now());
      if (id !== null) {
        const chat = { channel: event.channel, chatId: event.chatId };
        runtime.waitUntil(
          c,
          processChat(deps, chat).catch((error) => logError('process-failed', error, { channel: channel.id })),
        );
      }
      log('webhook', {
        channel: channel.id,
        kind: event.kind,
        outcome: id === null ? 'duplicate' : 'accepted',
        ms: Date.now() - started,
      });
      return c.body(null, 200);
    },
  );

  app.notFound((c) => c.json({ error: 'not found' }, 404));

  app.onError((error, c) => {
    if (error instanceof ConfigError) {
      logError('config', error);
      return c.json({ error: error.message, missing: error.variables }, 503);
    }
    logError('request-failed', error);
    return c.json({ error: 'internal error' }, 500);
  });

  return app;
}
