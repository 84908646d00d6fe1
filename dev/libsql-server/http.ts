/**
 * The HTTP surface: routes, request bodies and responses, and turning a failed pipeline into an
 * error response. Everything past the JSON body is the stream registry's business.
 */
import type http from 'node:http';
import { HttpError, protocolError } from './errors.ts';
import type { Version } from './protocol.ts';
import type { StreamRegistry } from './streams.ts';
import type { Tally } from './tally.ts';

/** What serves the requests: the streams, the counts, and the round trip to simulate. */
export interface Served {
  streams: StreamRegistry;
  tally: Tally;
  /** Every pipeline's answer is held back this long, as a network between client and server would. */
  delayMs: number;
  /** While set, requests wait for it (a database that stopped answering); a request given up meanwhile never runs. */
  paused: { until: Promise<void>; resume(): void } | null;
}

const PIPELINE_PATHS = new Map<string, Version>([
  ['/v2/pipeline', 2],
  ['/v3/pipeline', 3],
]);

/** Never rejects: every failure becomes a response, because an unhandled rejection would kill the process. */
export async function serveHttp(served: Served, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  try {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const version = PIPELINE_PATHS.get(pathname);
    if (req.method === 'GET' && (pathname === '/v2' || pathname === '/v3' || pathname === '/health')) {
      sendText(res, 200, 'Hello, this is HTTP API v2 (Hrana over HTTP)');
    } else if (req.method === 'POST' && version !== undefined) {
      const body = parseJson(await readBody(req));
      if (served.paused) {
        let gone = false;
        res.once('close', () => {
          gone = !res.writableEnded;
        });
        await served.paused.until;
        if (gone) return;
      }
      served.tally.record(body);
      const response = served.streams.pipeline(body, version);
      if (served.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, served.delayMs));
      sendJson(res, 200, response);
    } else if (pathname.startsWith('/_control/')) {
      await control(served, req, res, pathname);
    } else {
      // Includes /v3-protobuf: the client then falls back to JSON over /v2.
      sendText(res, 404, 'Not found');
    }
  } catch (err) {
    const status = err instanceof HttpError ? err.status : 500;
    const code = err instanceof HttpError ? err.code : 'INTERNAL_ERROR';
    const message = err instanceof Error ? err.message : String(err);
    if (res.headersSent) res.destroy();
    else sendJson(res, status, { message, code });
  }
}

/**
 * The server's own controls: GET /_control/tally (round trips and statements so far, per watched
 * value too), POST /_control/watch {"value"} (count the round trips that pass it as an argument),
 * POST /_control/delay {"ms"} (hold every answer back that long from now on), POST /_control/pause
 * and /_control/resume (stop answering, as a database that is unreachable; and answer again).
 */
async function control(served: Served, req: http.IncomingMessage, res: http.ServerResponse, pathname: string) {
  if (req.method === 'GET' && pathname === '/_control/tally') return sendJson(res, 200, served.tally.counts());
  if (req.method !== 'POST') throw new HttpError(404, 'Not found', 'NOT_FOUND');
  if (pathname === '/_control/pause') {
    if (!served.paused) {
      let resume = () => {};
      const until = new Promise<void>((resolve) => {
        resume = resolve;
      });
      served.paused = { until, resume };
    }
    return sendJson(res, 200, { paused: true });
  }
  if (pathname === '/_control/resume') {
    served.paused?.resume();
    served.paused = null;
    return sendJson(res, 200, { paused: false });
  }
  const body = (parseJson(await readBody(req)) ?? {}) as { value?: unknown; ms?: unknown };
  if (pathname === '/_control/watch' && typeof body.value === 'string' && body.value !== '') {
    served.tally.watch(body.value);
    return sendJson(res, 200, served.tally.counts());
  }
  if (pathname === '/_control/delay' && Number.isInteger(body.ms) && (body.ms as number) >= 0) {
    served.delayMs = body.ms as number;
    return sendJson(res, 200, { delayMs: served.delayMs });
  }
  throw new HttpError(
    400,
    'expected {"value": "<text>"} at /_control/watch, {"ms": <ms>} at /_control/delay',
    'BAD_CONTROL',
  );
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    return protocolError(`Could not deserialize JSON request body: ${(err as Error).message}`);
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  // Exactly `application/json`: the Hrana client only reads error bodies with that content type.
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function sendText(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
}
