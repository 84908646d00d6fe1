/**
 * The HTTP surface: health, readiness and the messengers' webhooks. A webhook is checked,
 * parsed and claimed in the inbox, answered at once, and processed after the answer through
 * the runtime's `waitUntil` (the entry supplies it, so this module runs on Workers, Deno and Node).
 * Also the scheduled work, and the reading of the messengers that serve a stream instead of webhooks.
 */
import { sql } from 'drizzle-orm';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { pause } from './backoff.ts';
import type { Channel, EnvVars, ParsedUpdate, UpdateStream } from './channels/types.ts';
import { timingSafeEqual } from './crypto/timing-safe.ts';
import { channelsFor, depsFor } from './deps.ts';
import { ChannelError, ConfigError } from './errors.ts';
import { log, logError } from './log.ts';
import { type Background, holdStream, receive } from './pipeline/receive.ts';
import { sweep } from './pipeline/sweep.ts';

export interface Runtime {
  /** Keeps `work` running after the response has been sent. */
  waitUntil(c: Context, work: Promise<void>): void;
}

/**
 * One run of the scheduled work, for the entries' cron trigger or timer: the sweep and, when
 * `streamHoldMs` is given (Workers, which keep no process running), the messengers' update streams
 * for that long, under their leases. It returns once the work those messages started is done.
 */
export async function runScheduled(env: EnvVars, options: { streamHoldMs?: number } = {}): Promise<void> {
  const started = new Set<Promise<void>>();
  const background: Background = (work) => {
    started.add(work);
  };
  const sweeping = depsFor(env)
    .then(sweep)
    .catch((error) => logError('sweep-failed', error));
  const streaming =
    options.streamHoldMs === undefined
      ? null
      : readStreams(env, { signal: new AbortController().signal, background, holdMs: options.streamHoldMs });
  await Promise.all([sweeping, streaming]);
  await Promise.allSettled(started);
}

/** While standing by for a stream another process holds, how often to try its lease again. */
const STANDBY_MS = 15_000;

export interface StreamsOptions {
  /** Stops reading: each stream's lease is released with the position reached. */
  signal: AbortSignal;
  background: Background;
  /**
   * One hold of each stream for this long (a scheduled run); absent, reading until `signal`, and
   * standing by while another process holds the stream.
   */
  holdMs?: number;
}

/**
 * Reads the update streams of the messengers that serve them (Soroush legacy) into the inbox.
 * Never rejects: a failure is logged and, without `holdMs`, tried again after a pause.
 */
export async function readStreams(env: EnvVars, options: StreamsOptions): Promise<void> {
  let channels: (Channel & { stream: UpdateStream })[];
  try {
    channels = [...channelsFor(env).values()].filter((channel) => channel.stream !== undefined) as typeof channels;
  } catch (error) {
    logError('config', error);
    return;
  }
  await Promise.all(channels.map((channel) => readStream(env, channel, options)));
}

async function readStream(env: EnvVars, channel: Channel & { stream: UpdateStream }, options: StreamsOptions) {
  const { signal, holdMs } = options;
  let standingBy = false;
  do {
    let outcome: 'held' | 'held-elsewhere' | 'failed' = 'failed';
    try {
      outcome = (await holdStream(await depsFor(env), channel, options)) ? 'held' : 'held-elsewhere';
    } catch (error) {
      // The environment will not change while this runs: waiting would not mend it.
      if (error instanceof ConfigError) return logError('config', error);
      logError('stream-failed', error, { channel: channel.id });
    }
    // A scheduled run that finds the stream held leaves it to the run holding it.
    if (holdMs !== undefined) return;
    if (outcome === 'held-elsewhere' && !standingBy) log('stream', { channel: channel.id, outcome: 'standing-by' });
    standingBy = outcome === 'held-elsewhere';
    if (outcome !== 'held' && !signal.aborted) await pause(STANDBY_MS, signal);
  } while (!signal.aborted);
}

type Env = { Bindings: EnvVars };

/** Messengers send small updates; anything larger is refused before it is read. */
export const MAX_WEBHOOK_BYTES = 64 * 1024;

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
      // An unknown messenger, one that is off or calls no webhook, a wrong secret and a wrong
      // secret-token header all look the same from outside.
      if (
        !channel?.webhookSecret ||
        !(await timingSafeEqual(c.req.param('secret'), channel.webhookSecret)) ||
        (channel.verify && !(await channel.verify(c.req.raw.headers)))
      ) {
        return c.json({ error: 'not found' }, 404);
      }
      const deps = await depsFor(c.env);
      // Decoded by hand: workerd warns when .text() reads a form body.
      const text = new TextDecoder().decode(await c.req.arrayBuffer());
      const body = { contentType: c.req.header('content-type') ?? '', text };
      let parsed: ParsedUpdate | null;
      try {
        parsed = channel.parse(body, deps.now());
      } catch (error) {
        if (!(error instanceof ChannelError)) throw error;
        log('webhook', { channel: channel.id, outcome: 'malformed', ms: Date.now() - started });
        return c.json({ error: error.reason }, 400);
      }
      if (!parsed) {
        log('webhook', { channel: channel.id, outcome: 'ignored', ms: Date.now() - started });
        return c.body(null, 200);
      }
      const { event, accepted } = await receive(deps, channel, parsed, (work) => runtime.waitUntil(c, work));
      log('webhook', {
        channel: channel.id,
        kind: event.kind,
        outcome: accepted ? 'accepted' : 'duplicate',
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
