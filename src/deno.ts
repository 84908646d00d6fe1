/**
 * The Deno entry, for hosts in the country (where Cloudflare is not): serves the app with
 * `Deno.serve` on HOST:PORT, runs the sweep on a timer and reads the update streams (Soroush
 * legacy), and on SIGTERM or SIGINT stops accepting, lets the work in flight finish (within a
 * bound) and exits. See host.ts.
 */
import { createHost, type Host, hostUrl } from './host.ts';
import { log, logError } from './log.ts';

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
      log('listening', { runtime: 'deno', url: hostUrl(host.hostname, address.port), sweepEveryS: host.sweepEveryS });
    },
  },
  (request) => host.app.fetch(request, env),
);
host.startSweeps();
host.startStreams();

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  Deno.addSignalListener(signal, async () => {
    if (stopping) return;
    stopping = true;
    const abandoned = await host.stop(() => server.shutdown());
    log('stopped', { signal, abandoned });
    Deno.exit(0);
  });
}
