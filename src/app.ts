/**
 * The HTTP surface: health, readiness and the messengers' webhooks. A webhook is checked, then
 * ingested (parsed and claimed in the inbox), answered at once, and processed after the answer
 * through the runtime's `waitUntil` (the entry supplies it, so this module runs on Workers, Deno
 * and Node).
 */
import { sql } from 'drizzle-orm';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
// The smallest router is plenty for three routes, and the bundle is loaded at every cold start.
import { Hono } from 'hono/tiny';
import { timingSafeEqual } from './crypto/timing-safe.ts';
import { channelsFor, depsFor } from './deps.ts';
import { ConfigError, StoreError } from './errors.ts';
import { log, logError } from './log.ts';
import { ingest } from './pipeline/ingest.ts';
import type { EnvVars } from './types.ts';

export interface Runtime {
  /** Keeps `work` running after the response has been sent. */
  waitUntil(c: Context, work: Promise<void>): void;
  /** How long that work may run (Workers cut it 30 s after the response); unbounded when absent. */
  backgroundMs?: number;
}

type Env = { Bindings: EnvVars };

/** Messengers send small updates; anything larger is refused before it is read. */
export const MAX_WEBHOOK_BYTES = 64 * 1024;
/** Content types that cannot be an update (the messengers' own are not all confirmed: the rest is tried). */
const BINARY = /^\s*(multipart\/|application\/octet-stream|image\/|audio\/|video\/)/i;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export function createApp(runtime: Runtime): Hono<Env> {
  const app = new Hono<Env>();

  app.get('/healthz', (c) => c.json({ ok: true }));

  app.get('/readyz', async (c) => {
    const deps = await depsFor(c.env);
    await deps.store.db.run(sql`select 1`);
    const services = deps.catalogue.services.map((service) => service.id);
    return c.json({ ok: true, channels: [...deps.channels.keys()], providers: deps.providers, services });
  });

  app.post(
    '/webhooks/:channel/:secret',
    bodyLimit({ maxSize: MAX_WEBHOOK_BYTES, onError: (c) => c.json({ error: 'body too large' }, 413) }),
    async (c) => {
      const channel = channelsFor(c.env).get(c.req.param('channel'));
      // An unknown messenger, one that is off or calls no webhook, a wrong secret and a wrong
      // secret-token header all look the same from outside.
      const secret = c.req.param('secret');
      // Every secret is compared, so the time taken does not tell which one a guess was near.
      const matched = channel?.webhookSecrets.map((accepted) => timingSafeEqual(secret, accepted)).includes(true);
      if (!channel || !matched || (channel.verify && !channel.verify(c.req.raw.headers))) {
        return c.json({ error: 'not found' }, 404);
      }
      const deps = await depsFor(c.env);
      const contentType = c.req.header('content-type') ?? '';
      // No messenger posts an update as a file: refused, and said, before it is read.
      if (BINARY.test(contentType)) {
        log('webhook', { channel: channel.id, outcome: 'unsupported-media-type' });
        deps.metrics?.update(channel.id, 'unsupported-media-type');
        return c.json({ error: 'an update is a form or JSON' }, 415);
      }
      let text: string;
      try {
        // Decoded by hand (workerd warns when .text() reads a form body), and strictly.
        text = strictUtf8.decode(await c.req.arrayBuffer());
      } catch {
        return c.json({ error: 'body is not valid UTF-8' }, 400);
      }
      const body = { contentType, text };
      const ingested = await ingest(deps, channel, body, {
        logAs: 'webhook',
        background: (work) => runtime.waitUntil(c, work),
        deadline: runtime.backgroundMs === undefined ? undefined : Date.now() + runtime.backgroundMs,
      });
      if (ingested.outcome === 'malformed') return c.json({ error: ingested.reason }, 400);
      return c.body(null, 200);
    },
  );

  app.notFound((c) => c.json({ error: 'not found' }, 404));

  app.onError((error, c) => {
    if (error instanceof ConfigError) {
      logError('config', error);
      return c.json({ error: error.message, missing: error.variables }, 503);
    }
    if (error instanceof StoreError) {
      // Not stored, so not a 200: the messenger sends it again, and the retry is answered once.
      logError('store-unavailable', error);
      c.header('retry-after', '5');
      return c.json({ error: 'database unavailable' }, 503);
    }
    logError('request-failed', error);
    return c.json({ error: 'internal error' }, 500);
  });

  return app;
}
