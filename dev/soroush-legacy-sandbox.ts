// Soroush legacy sandbox: a fake of Soroush's older bot API ("MrBot", messengers.md §2.A): the update
// stream a bot reads (Server-Sent Events, one JSON message per event, numbered with `id:` unless told
// not to, and replayed after a reconnect's Last-Event-ID) and the sendMessage it answers with; plus the
// citizen's side (messages pushed into the stream) and the faults a developer or a test needs: a
// stream dropped on demand (closed, broken, or silently abandoned as the service is said to do), send
// failures per recipient. Messages pushed while no stream is open wait for the next one.
//
// Bot API (token in the path):  GET /<token>/getMessage (text/event-stream), POST /<token>/sendMessage (JSON)
// Control (JSON):  POST /_sandbox/deliver, GET/DELETE /_sandbox/messages, GET /_sandbox/conversation,
//                  POST /_sandbox/drop, GET /_sandbox/streams, POST/DELETE /_sandbox/faults
import { Hono } from 'hono';
import * as v from 'valibot';
import { afterParam, Journal } from './sandbox-journal.ts';
import { FaultQueue, FaultReach, fieldsOf, parseJson, sameSecret, sleep } from './sandbox-kit.ts';
import { listen, type RunningServer } from './serve.ts';

export type { RunningServer };

export interface SoroushLegacySandboxOptions {
  port?: number;
  host?: string;
  token: string;
  /** Whether events carry an SSE `id:` (and Last-Event-ID is honoured); default true. Whether the real service sends ids is unconfirmed. */
  eventIds?: boolean;
  /**
   * What a stream opened with another token gets: `silent` (the default: it stays open and empty, as
   * Apache Camel's tests describe the service, §2.A [S]), `refuse` (401) or `close` (an empty stream that ends at once).
   */
  wrongToken?: 'silent' | 'refuse' | 'close';
  /** Sent as `retry:` at the start of each stream, when set. */
  retryMs?: number;
  /** A `: keep-alive` comment this often, when set; the real service is not known to send any. */
  keepAliveMs?: number;
  /** The longest body sendMessage accepts, default 4096. */
  textLimit?: number;
}

/** What the bot sent with sendMessage. */
export interface LegacyBotMessage {
  side: 'bot';
  id: number;
  to: string;
  type: string;
  body?: string;
  keyboard?: { text: string; command: string }[][];
  time: string;
}
/** A message pushed into the stream on the citizen's behalf; `event` is its SSE id. */
export interface LegacyCitizenMessage {
  side: 'citizen';
  id: number;
  event: number;
  from: string | null;
  data: string;
  time: string;
}
export type LegacyEntry = LegacyBotMessage | LegacyCitizenMessage;

/** One stream as the sandbox saw it open. */
export interface LegacyConnection {
  /** The Last-Event-ID it came with, if any. */
  lastEventId: string | null;
  validToken: boolean;
  state: 'open' | 'closed' | 'silenced';
  openedAt: string;
  /** Events written to it, and keep-alive comments: what a test waits on instead of the clock. */
  events: number;
  keepAlives: number;
}

const MAX_CONNECTIONS = 1_000;
const SEND_TYPES = ['TEXT', 'FILE', 'LOCATION', 'CHANGE'] as const;

const NonEmpty = v.pipe(v.string(), v.nonEmpty());
const Button = v.object({ text: NonEmpty, command: NonEmpty });
const SendBody = v.object({
  type: v.picklist(SEND_TYPES),
  to: NonEmpty,
  body: v.optional(v.string()),
  time: v.optional(v.string()),
  keyboard: v.optional(v.array(v.array(Button))),
});
/** Data put on the stream as it is, malformed or not. */
const DeliverRaw = v.strictObject({ raw: v.string() });
// Any further field (fileType, phoneNo, latitude, …) goes into the message as it is.
const DeliverMessage = v.looseObject({
  from: NonEmpty,
  type: v.optional(NonEmpty, 'TEXT'),
  body: v.optional(v.string()),
  // Epoch ms, the sandbox's clock by default; null leaves it out.
  time: v.optional(v.nullable(v.union([v.string(), v.number()]))),
});
const DropBody = v.optional(v.object({ mode: v.optional(v.picklist(['close', 'error', 'silent']), 'close') }), {});
// `to` limits a fault to one recipient, so tests that share the sandbox do not trip each other.
const FaultTo = v.optional(NonEmpty);
const FaultBody = v.union([
  v.strictObject({
    status: v.pipe(v.number(), v.integer(), v.minValue(300), v.maxValue(599)),
    ...FaultReach,
    retryAfter: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    to: FaultTo,
  }),
  // HTTP 200 with another resultCode: a refusal in the body.
  v.strictObject({ resultCode: v.pipe(v.number(), v.integer(), v.minValue(201)), ...FaultReach, to: FaultTo }),
  v.strictObject({
    timeoutMs: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(600_000)),
    ...FaultReach,
    to: FaultTo,
  }),
]);
type Fault = v.InferOutput<typeof FaultBody>;

const encoder = new TextEncoder();
const answer = (resultCode: number, resultMessage: string, status = 200) =>
  Response.json({ resultCode, resultMessage }, { status });

interface StoredEvent {
  seq: number;
  data: string;
  /** Written to some stream at least once. */
  sent: boolean;
}

interface LiveStream {
  controller: ReadableStreamDefaultController<Uint8Array>;
  connection: LegacyConnection;
  /** The response under @hono/node-server, to break the connection itself. */
  socket?: { destroy(): void };
  keepAlive?: ReturnType<typeof setInterval>;
}

/** What @hono/node-server hands the app besides the request. */
type Bindings = { outgoing?: { destroy(): void } } | undefined;

export function createSoroushLegacySandbox(options: SoroushLegacySandboxOptions): Hono<{ Bindings: Bindings }> {
  const eventIds = options.eventIds ?? true;
  const textLimit = options.textLimit ?? 4096;
  const journal = new Journal<LegacyEntry>();
  const events: StoredEvent[] = [];
  let connections: LegacyConnection[] = [];
  const live = new Set<LiveStream>();
  const faults = new FaultQueue<Fault>((fault) => fault.to);
  const app = new Hono<{ Bindings: Bindings }>();

  /** One event as the stream carries it: every line of the data on a `data:` line of its own. */
  const frame = (event: StoredEvent) =>
    encoder.encode(
      `${eventIds ? `id: ${event.seq}\n` : ''}${event.data
        .split('\n')
        .map((line) => `data: ${line}\n`)
        .join('')}\n`,
    );

  /** Writes to one stream; false when it has gone meanwhile. */
  function write(stream: LiveStream, bytes: Uint8Array): boolean {
    try {
      stream.controller.enqueue(bytes);
      return true;
    } catch {
      forget(stream, 'closed');
      return false;
    }
  }

  function forget(stream: LiveStream, state: LegacyConnection['state']): void {
    clearInterval(stream.keepAlive);
    live.delete(stream);
    stream.connection.state = state;
  }

  function eventStream(
    connection: LegacyConnection,
    socket: LiveStream['socket'],
    start: (stream: LiveStream) => void,
  ): Response {
    let self: LiveStream | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        self = { controller, connection, socket };
        start(self);
      },
      cancel() {
        if (self) forget(self, 'closed');
      },
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
  }

  app.get('/:token/getMessage', (c) => {
    const validToken = sameSecret(c.req.param('token'), options.token);
    const lastEventId = c.req.header('last-event-id') ?? null;
    if (!validToken && options.wrongToken === 'refuse') return answer(401, 'Unauthorized', 401);
    const connection: LegacyConnection = {
      lastEventId,
      validToken,
      state: 'open',
      openedAt: new Date().toISOString(),
      events: 0,
      keepAlives: 0,
    };
    connections.push(connection);
    if (connections.length > MAX_CONNECTIONS) connections = connections.slice(-MAX_CONNECTIONS);
    return eventStream(connection, c.env?.outgoing, (stream) => {
      if (!validToken) {
        if (options.wrongToken === 'close') {
          connection.state = 'closed';
          stream.controller.close();
        }
        // Otherwise open and empty, for as long as the bot cares to wait.
        return;
      }
      if (options.retryMs !== undefined) stream.controller.enqueue(encoder.encode(`retry: ${options.retryMs}\n\n`));
      // After Last-Event-ID: whatever came after it; else whatever no stream has carried yet.
      const after = eventIds && lastEventId !== null && /^\d+$/.test(lastEventId) ? Number(lastEventId) : null;
      for (const event of events) {
        if (after === null ? event.sent : event.seq <= after) continue;
        stream.controller.enqueue(frame(event));
        connection.events += 1;
        event.sent = true;
      }
      if (options.keepAliveMs)
        stream.keepAlive = setInterval(() => {
          if (write(stream, encoder.encode(': keep-alive\n\n'))) connection.keepAlives += 1;
        }, options.keepAliveMs);
      live.add(stream);
    });
  });

  app.post('/:token/sendMessage', async (c) => {
    if (!sameSecret(c.req.param('token'), options.token)) return answer(401, 'Unauthorized', 401);
    const body = v.safeParse(SendBody, parseJson(await c.req.text()));
    const injected = faults.take(body.success ? body.output.to : '');
    if (injected && 'status' in injected) {
      const headers = injected.retryAfter === undefined ? undefined : { 'retry-after': String(injected.retryAfter) };
      return Response.json(
        { resultCode: injected.status, resultMessage: `injected fault ${injected.status}` },
        { status: injected.status, headers },
      );
    }
    if (injected && 'resultCode' in injected)
      return answer(injected.resultCode, `injected refusal ${injected.resultCode}`);
    if (!body.success) return answer(400, `invalid field(s): ${fieldsOf(body.issues)}`, 400);
    const { type, to, body: text, keyboard } = body.output;
    if (type === 'TEXT' && !text?.trim()) return answer(400, 'body is empty', 400);
    if ((text?.length ?? 0) > textLimit) return answer(400, 'body is too long', 400);
    journal.record<LegacyBotMessage>({
      side: 'bot',
      to,
      type,
      ...(text !== undefined && { body: text }),
      ...(keyboard && { keyboard }),
    });
    // A timeout fault: the message is accepted and recorded, but the answer comes late (an ambiguous send).
    if (injected && 'timeoutMs' in injected) await sleep(injected.timeoutMs);
    return answer(200, 'OK');
  });

  app.get('/_sandbox/messages', (c) => {
    const to = c.req.query('to');
    const after = afterParam(c.req.query('after'));
    if (after === null || to === '')
      return c.json({ error: 'to must be non-empty and after a non-negative integer' }, 400);
    const messages = journal.list(after, ['bot'], (e) => to === undefined || (e.side === 'bot' && e.to === to));
    return c.json({ messages });
  });
  app.get('/_sandbox/conversation', (c) => {
    const user = c.req.query('user');
    const after = afterParam(c.req.query('after'));
    if (after === null || user === '')
      return c.json({ error: 'user must be non-empty and after a non-negative integer' }, 400);
    const mine = (e: LegacyEntry) => user === undefined || (e.side === 'bot' ? e.to === user : e.from === user);
    return c.json({ entries: journal.list(after, ['bot', 'citizen'], mine) });
  });
  app.delete('/_sandbox/messages', (c) => {
    journal.clear();
    return c.body(null, 204);
  });

  app.post('/_sandbox/deliver', async (c) => {
    const json = parseJson(await c.req.text());
    const raw = v.safeParse(DeliverRaw, json);
    let data: string;
    let from: string | null = null;
    if (raw.success) {
      data = raw.output.raw;
    } else {
      const body = v.safeParse(DeliverMessage, json);
      if (!body.success)
        return c.json({ error: `expected {raw} or a message; invalid field(s): ${fieldsOf(body.issues)}` }, 400);
      const { time, ...message } = body.output;
      from = message.from;
      const stamped = time === null ? {} : { time: String(time ?? Date.now()) };
      data = JSON.stringify({ ...message, ...stamped });
    }
    const event: StoredEvent = { seq: events.length + 1, data, sent: false };
    events.push(event);
    journal.record<LegacyCitizenMessage>({ side: 'citizen', event: event.seq, from, data });
    let streams = 0;
    for (const stream of [...live]) {
      if (!write(stream, frame(event))) continue;
      stream.connection.events += 1;
      streams++;
    }
    event.sent = streams > 0;
    return c.json({ event: event.seq, streams });
  });

  app.post('/_sandbox/drop', async (c) => {
    const raw = await c.req.text();
    const body = v.safeParse(DropBody, raw ? parseJson(raw) : undefined);
    if (!body.success) return c.json({ error: 'expected {mode?: "close" | "error" | "silent"}' }, 400);
    const { mode } = body.output;
    const dropped = [...live];
    for (const stream of dropped) {
      // Silent: the stream is no longer written to, and stays open; the bot hears nothing of it.
      forget(stream, mode === 'silent' ? 'silenced' : 'closed');
      if (mode === 'close') stream.controller.close();
      // Error: the connection breaks off (under Node, its socket is destroyed), as a network failure would.
      if (mode === 'error') {
        if (stream.socket) stream.socket.destroy();
        else stream.controller.error(new Error('dropped by the sandbox'));
      }
    }
    return c.json({ dropped: dropped.length });
  });

  app.get('/_sandbox/streams', (c) => c.json({ open: live.size, connections }));

  faults.serve(
    app,
    FaultBody,
    'expected {status, retryAfter?, to?}, {resultCode, to?} or {timeoutMs, to?}, each with count?, forMs? and rate?',
  );

  // After the control routes, which it would otherwise swallow.
  app.all('/:token/:method', (c) =>
    sameSecret(c.req.param('token'), options.token) ? answer(404, 'Not Found', 404) : answer(401, 'Unauthorized', 401),
  );

  app.notFound((c) => c.json({ error: 'not found' }, 404));
  return app;
}

export function startSoroushLegacySandbox(options: SoroushLegacySandboxOptions): Promise<RunningServer> {
  return listen(createSoroushLegacySandbox(options), options.port ?? 0, options.host ?? '127.0.0.1');
}
