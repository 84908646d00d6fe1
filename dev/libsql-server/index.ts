/**
 * Local libSQL server for the dev stack and the integration tests: Hrana over HTTP (JSON encoding,
 * protocol versions 2 and 3) on a loopback port, backed by one database file through the `libsql`
 * package. It owns the protocol surface the project's clients touch — pipelines, batons, streams
 * with their own connections, stored SQL, batch conditions — and copies sqld's observable behaviour
 * there (result shapes, error codes and messages, argument binding, baton rotation, 10 s stream
 * expiry), so the app meets here the answers Turso or a real sqld would give it.
 *
 * This file is the public API and the wiring: the database file, the stream registry and the HTTP
 * server it answers on, started together and closed in order. Also runnable directly (see below).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { prepareDatabaseFile } from './connection.ts';
import { type Served, serveHttp } from './http.ts';
import { StreamRegistry } from './streams.ts';
import { Tally, type TallyCounts } from './tally.ts';

export type { TallyCounts };

export interface LibsqlServerOptions {
  file: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** Holds every answer back this long: the network round trip of a database that is not on this machine. */
  delayMs?: number;
}

export interface LibsqlServer {
  url: string;
  /** Round trips (pipeline requests) and statements so far, also served at GET /_control/tally. */
  tally(): TallyCounts;
  /** Closes the HTTP server and every stream's connection, rolling back open transactions. */
  close(): Promise<void>;
}

export async function startLibsqlServer(options: LibsqlServerOptions): Promise<LibsqlServer> {
  const host = options.host ?? '127.0.0.1';
  prepareDatabaseFile(options.file);
  const served: Served = {
    streams: new StreamRegistry(options.file),
    tally: new Tally(),
    delayMs: options.delayMs ?? 0,
    paused: null,
  };
  const { streams } = served;
  const server = http.createServer((req, res) => void serveHttp(served, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    tally: () => served.tally.counts(),
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        served.paused?.resume();
        streams.closeAll();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

// `npx tsx dev/libsql-server/index.ts <file> [port] [delay ms]`: prints its URL once it listens.

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const [file, port, delayMs] = process.argv.slice(2);
  if (file === undefined) {
    console.error('usage: tsx dev/libsql-server/index.ts <database file> [port] [delay ms]');
    process.exit(2);
  }
  const server = await startLibsqlServer({ file, port: Number(port ?? 0), delayMs: Number(delayMs ?? 0) });
  console.log(server.url);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void server.close().then(() => process.exit(0)));
  }
}
