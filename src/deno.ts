/**
 * The Deno entry, for hosts in the country (where Cloudflare is not) and for Deno Deploy: serves
 * the app with `Deno.serve` on HOST:PORT, runs the scheduled work, and on SIGTERM or SIGINT stops
 * accepting, lets the work in flight finish (within a bound) and exits. See host.ts.
 *
 * On a host of its own the process lives on: the sweep runs on a timer and the update streams
 * (Soroush legacy) are read all the time. Where `Deno.cron` exists (Deno Deploy; locally with
 * `--unstable-cron`) no timer outlives a request, so the scheduler runs the work as the cron trigger
 * does on Workers, the streams read best effort for most of each minute (README).
 */
import { createHost, type Host, hostUrl } from './host.ts';
import { log, logError } from './log.ts';
import { runScheduled, STREAM_HOLD_MS } from './pipeline/scheduled.ts';

// The few members of Deno's API used here, declared for this module only: `tsc -p .` checks this
// file with the rest and needs no Deno type package.
declare const Deno: {
  env: { toObject(): Record<string, string> };
  serve(
    options: { hostname: string; port: number; onListen(address: { port: number }): void },
    handler: (request: Request) => Response | Promise<Response>,
  ): { shutdown(): Promise<void> };
  addSignalListener(signal: 'SIGTERM' | 'SIGINT', handler: () => void): void;
  exit(code: number): never;
  cron?(name: string, schedule: string, options: { signal: AbortSignal }, handler: () => Promise<void>): Promise<void>;
};

// Read once and reused: the parts of deps.ts are cached per environment object.
const env = Deno.env.toObject();
let host: Host;
try {
  host = createHost(env);
} catch (error) {
  logError('config', error);
  Deno.exit(1);
}

// onListen replaces Deno's own "Listening on" line with the log's JSON one.
const server = Deno.serve(
  {
    hostname: host.hostname,
    port: host.port,
    onListen(address) {
      log('listening', {
        runtime: 'deno',
        url: hostUrl(host.hostname, address.port),
        scheduler: Deno.cron ? 'deno-cron' : 'timer',
        sweepEveryS: Deno.cron ? null : host.sweepEveryS,
      });
    },
  },
  (request) => host.app.fetch(request, env),
);

const cron = new AbortController();
/** The scheduler's run in progress: a stop waits for it as for the rest of the work in flight. */
let scheduled: Promise<void> | null = null;
if (Deno.cron) {
  Deno.cron('pishkhan-scheduled', '* * * * *', { signal: cron.signal }, () => {
    scheduled = runScheduled(env, { streamHoldMs: STREAM_HOLD_MS }).finally(() => {
      scheduled = null;
    });
    return scheduled;
  });
} else {
  host.startSweeps();
  host.startStreams();
}

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  Deno.addSignalListener(signal, async () => {
    if (stopping) return;
    stopping = true;
    cron.abort();
    const abandoned = await host.stop(async () => {
      await server.shutdown();
      await scheduled;
    });
    log('stopped', { signal, abandoned });
    Deno.exit(0);
  });
}
