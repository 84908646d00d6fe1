/**
 * What the Soroush legacy sandbox keeps between calls, shared by its bot API (api.ts) and its
 * control routes (control.ts): the recorded conversation, the events pushed into the stream (kept
 * for replay after a reconnect's Last-Event-ID), the streams open now and every one it saw open,
 * and the injected send faults.
 */
import * as v from 'valibot';
import { FaultQueue, FaultReach } from '../kit/faults.ts';
import { Journal } from '../kit/journal.ts';

export interface SoroushLegacySandboxOptions {
  port?: number;
  host?: string;
  token: string;
  /**
   * Whether events carry an SSE `id:` (and Last-Event-ID is honoured); default true. Whether the
   * real service sends ids is unconfirmed.
   */
  eventIds?: boolean;
  /**
   * What a stream opened with another token gets: `silent` (the default: it stays open and empty,
   * as Apache Camel's tests describe the service, docs/messengers.md#soroush-legacy-the-stream),
   * `refuse` (401) or `close` (an empty stream that ends at once).
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

export interface StoredEvent {
  seq: number;
  data: string;
  /** Written to some stream at least once. */
  sent: boolean;
}

export interface LiveStream {
  controller: ReadableStreamDefaultController<Uint8Array>;
  connection: LegacyConnection;
  /** The response under @hono/node-server, to break the connection itself. */
  socket?: { destroy(): void };
  keepAlive?: ReturnType<typeof setInterval>;
}

/** What @hono/node-server hands the app besides the request. */
export type LegacyEnv = { Bindings: { outgoing?: { destroy(): void } } | undefined };

export const NonEmpty = v.pipe(v.string(), v.nonEmpty());
// `to` limits a fault to one recipient, so tests that share the sandbox do not trip each other.
const FaultTo = v.optional(NonEmpty);
export const FaultBody = v.union([
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

const MAX_CONNECTIONS = 1_000;
const encoder = new TextEncoder();

export class LegacyState {
  readonly journal = new Journal<LegacyEntry>();
  readonly events: StoredEvent[] = [];
  connections: LegacyConnection[] = [];
  readonly live = new Set<LiveStream>();
  readonly faults = new FaultQueue<Fault>((fault) => fault.to);
  readonly eventIds: boolean;

  constructor(readonly options: SoroushLegacySandboxOptions) {
    this.eventIds = options.eventIds ?? true;
  }

  /** Remembers a stream opened, the last MAX_CONNECTIONS of them. */
  opened(connection: LegacyConnection): void {
    this.connections.push(connection);
    if (this.connections.length > MAX_CONNECTIONS) this.connections = this.connections.slice(-MAX_CONNECTIONS);
  }

  /** One event as the stream carries it: every line of the data on a `data:` line of its own. */
  frame(event: StoredEvent): Uint8Array {
    const id = this.eventIds ? `id: ${event.seq}\n` : '';
    const data = event.data
      .split('\n')
      .map((line) => `data: ${line}\n`)
      .join('');
    return encoder.encode(`${id}${data}\n`);
  }

  /** Writes to one stream; false when it has gone meanwhile. */
  write(stream: LiveStream, bytes: Uint8Array): boolean {
    try {
      stream.controller.enqueue(bytes);
      return true;
    } catch {
      this.forget(stream, 'closed');
      return false;
    }
  }

  forget(stream: LiveStream, state: LegacyConnection['state']): void {
    clearInterval(stream.keepAlive);
    this.live.delete(stream);
    stream.connection.state = state;
  }
}
