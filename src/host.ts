/**
 * What the long-lived entries (Node, Deno) add around the app, runtime-free: their settings, a
 * `waitUntil` that keeps track of the work left running after each answer, the sweep on a timer
 * (never two runs at once), the messengers' update streams read all the time (Soroush legacy, when
 * its token is set), a stop that waits for that work within a bound, and `/metrics` (metrics/access.ts
 * says who may read it).
 */
import type { Hono } from 'hono';
import * as v from 'valibot';
import { createApp } from './app.ts';
import { readSettings } from './config.ts';
import { countInto, depsFor } from './deps.ts';
import { log, logError } from './log.ts';
import { metricsAccess } from './metrics/access.ts';
import { EXPOSITION_CONTENT_TYPE } from './metrics/exposition.ts';
import { PipelineMetrics } from './metrics/series.ts';
import { runScheduled } from './pipeline/scheduled.ts';
import { scrape } from './pipeline/scrape.ts';
import { readStreams } from './pipeline/streams.ts';
import { flushAudit } from './store/audit.ts';
import type { EnvVars } from './types.ts';

/** How long a stop waits for work in flight; what it abandons stays in the database for the next sweep. */
const SHUTDOWN_GRACE_MS = 10_000;

const Settings = v.object({
  HOST: v.optional(v.pipe(v.string(), v.nonEmpty()), '127.0.0.1'),
  PORT: v.optional(v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(0), v.maxValue(65_535)), '8787'),
  SWEEP_INTERVAL_S: v.optional(v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(1)), '30'),
  // Empty is unset; a set one is as long as a webhook secret.
  METRICS_TOKEN: v.optional(v.union([v.literal(''), v.pipe(v.string(), v.minLength(32))])),
});

export interface Host {
  app: Hono<{ Bindings: EnvVars }>;
  hostname: string;
  port: number;
  sweepEveryS: number;
  /** Starts the sweep timer. */
  startSweeps(): void;
  /** Starts reading the update streams of the messengers that serve one (none is configured: nothing). */
  startStreams(): void;
  /**
   * Stops the timer and the streams, closes the server (`close`), waits for work in flight;
   * returns how much was abandoned.
   */
  stop(close: () => Promise<void>): Promise<number>;
}

/** @throws ConfigError naming a malformed HOST, PORT, SWEEP_INTERVAL_S or METRICS_TOKEN */
export function createHost(env: EnvVars): Host {
  const { HOST, PORT, SWEEP_INTERVAL_S, METRICS_TOKEN } = readSettings(env, Settings);
  const metrics = new PipelineMetrics();
  countInto(env, metrics);

  /** Work that runs after its response (Workers' waitUntil) or its stream message: a stop waits for it. */
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    inFlight.add(work);
    // The app logs its own failures; here a settled promise only leaves the set.
    const settled = () => inFlight.delete(work);
    work.then(settled, settled);
  };
  const app = createApp({ waitUntil: (_c, work) => track(work) });
  // Only here: a Workers isolate sees none of the others' counts (its cron run logs them instead).
  const access = metricsAccess({ host: HOST, token: METRICS_TOKEN });
  app.get('/metrics', async (c) => {
    const verdict = access(c.req.header('authorization'));
    if (verdict === 'hidden') return c.json({ error: 'not found' }, 404);
    if (verdict === 'unauthorized') return c.json({ error: 'unauthorized' }, 401, { 'www-authenticate': 'Bearer' });
    const text = await scrape(await depsFor(env), metrics);
    return c.body(text, 200, { 'content-type': EXPOSITION_CONTENT_TYPE });
  });
  // Built now rather than on the first request: a setting that is wrong, or an address allowed in
  // the clear, is in the start-up log.
  depsFor(env).catch((error) => logError('config', error));

  let sweeping: Promise<void> | null = null;
  let ticker: ReturnType<typeof setInterval> | undefined;
  const streams = new AbortController();
  let streaming: Promise<void> | null = null;

  return {
    app,
    hostname: HOST,
    port: PORT,
    sweepEveryS: SWEEP_INTERVAL_S,
    startSweeps() {
      // A run that outlasts the interval makes the next tick a no-op.
      ticker = setInterval(() => {
        sweeping ??= runScheduled(env).finally(() => {
          sweeping = null;
        });
      }, SWEEP_INTERVAL_S * 1000);
    },
    startStreams() {
      streaming ??= readStreams(env, { signal: streams.signal, background: track });
    },
    async stop(close) {
      clearInterval(ticker);
      // The streams stop at once and release their leases with the position reached.
      streams.abort();
      log('stopping', { inFlight: inFlight.size });
      const drained = (async () => {
        await Promise.all([close(), streaming]);
        // Requests answered while the server closed, and the last stream messages, may have added work.
        while (inFlight.size > 0 || sweeping) await Promise.allSettled([...inFlight, sweeping]);
        // The audit rows no batch came to carry.
        await depsFor(env)
          .then((deps) => flushAudit(deps.store))
          .catch((error) => logError('audit-flush-failed', error));
      })();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, SHUTDOWN_GRACE_MS);
      });
      await Promise.race([drained, grace]);
      clearTimeout(timer);
      return inFlight.size;
    },
  };
}

/** `http://host:port`, with IPv6 hosts in brackets. */
export function hostUrl(hostname: string, port: number): string {
  return `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}`;
}
