/**
 * The Node entry, for hosts in the country (where Cloudflare is not): serves the app with
 * @hono/node-server on HOST:PORT, runs the sweep on a timer and reads the update streams (Soroush
 * legacy), and on SIGTERM or SIGINT stops accepting, lets the work in flight finish (within a
 * bound) and exits. See host.ts. The only module that may import `node:*`.
 */
import process from 'node:process';
import { serve } from '@hono/node-server';
import { createHost, type Host, hostUrl } from './host.ts';
import { log, logError } from './log.ts';

const env = process.env;
let host: Host;
try {
  host = createHost(env);
} catch (error) {
  logError('config', error);
  process.exit(1);
}

const server = serve(
  { fetch: (request) => host.app.fetch(request, env), hostname: host.hostname, port: host.port },
  (address) => {
    log('listening', { runtime: 'node', url: hostUrl(host.hostname, address.port), sweepEveryS: host.sweepEveryS });
  },
);
host.startSweeps();
host.startStreams();

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    const abandoned = await host.stop(() => new Promise<void>((resolve) => server.close(() => resolve())));
    log('stopped', { signal, abandoned });
    process.exit(0);
  });
}
