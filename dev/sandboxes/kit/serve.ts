// Starts a Hono app on a loopback socket for the local sandboxes, and stops it cleanly.
// Only loopback hosts are allowed: the sandboxes hold fake credentials and chat logs, and
// nothing of the dev stack may be reachable from the network.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';

/** A server started by `listen`: its base URL (no trailing slash) and a way to stop it. */
export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * Serves `app` on `host:port` (port 0 picks a free one) and resolves once it listens.
 * Rejects a non-loopback host, and rejects when the port is taken.
 */
// Any app with a fetch: the sandboxes' Hono instances differ in their bindings and schemas.
export function listen(
  app: { fetch(request: Request): Response | Promise<Response> },
  port = 0,
  host = '127.0.0.1',
): Promise<RunningServer> {
  if (!LOOPBACK.has(host)) {
    return Promise.reject(new Error(`refusing to listen on ${host}: the dev sandboxes bind to loopback only`));
  }
  return new Promise((resolve, reject) => {
    // overrideGlobalObjects: false keeps the process's global Request/Response untouched (tests share it).
    const server = serve({ fetch: app.fetch, port, hostname: host, overrideGlobalObjects: false }) as Server;
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const { port: bound } = server.address() as AddressInfo;
      const shownHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        url: `http://${shownHost}:${bound}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((err) => (err ? fail(err) : done()));
            // Keep-alive sockets would hold close() open until they time out.
            server.closeAllConnections();
          }),
      });
    });
  });
}
