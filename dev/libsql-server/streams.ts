/**
 * The stream registry: finds a stream from its baton (one that works once and rotates with every
 * pipeline), runs the pipeline's requests on it, expires it after sqld's 10 s idle, pools the
 * connections of closed streams, and closes them all on shutdown.
 */
import { randomBytes } from 'node:crypto';
import { Connection } from './connection.ts';
import { HttpError } from './errors.ts';
import { decodePipeline, type PipelineResponse, type Version } from './protocol.ts';
import { handleRequest } from './requests.ts';
import { Stream } from './stream.ts';

const STREAM_EXPIRY_MS = 10_000;
/** Idle connections kept for reuse. */
const MAX_IDLE = 16;
/** How long an expired stream's baton keeps answering "expired" rather than "invalid". */
const EXPIRED_MEMORY_MS = 300_000;

export class StreamRegistry {
  readonly #file: string;
  /** Streams between requests, by id: open ones waiting for their baton, and recently expired ones. */
  readonly #streams = new Map<string, Stream>();
  /** Connections of closed streams, kept for the next ones: opening one per request would cost more than the request. */
  readonly #idle: Connection[] = [];
  #closed = false;

  constructor(file: string) {
    this.#file = file;
  }

  /** Runs synchronously from start to end, so requests never interleave inside one database call. */
  pipeline(body: unknown, version: Version): PipelineResponse {
    if (this.#closed) throw new HttpError(503, 'The server is shutting down', 'SERVER_CLOSED');
    const request = decodePipeline(body, version);
    const stream = this.#acquire(request.baton);
    try {
      const results = request.requests.map((req) => handleRequest(stream, req));
      return { baton: this.#release(stream), base_url: null, results };
    } catch (err) {
      // Like sqld, a request that fails as a whole drops its stream and rolls back its transaction.
      this.#streams.delete(stream.id);
      stream.close();
      throw err;
    }
  }

  closeAll(): void {
    this.#closed = true;
    for (const stream of this.#streams.values()) {
      clearTimeout(stream.timer);
      stream.close();
    }
    this.#streams.clear();
    for (const conn of this.#idle.splice(0)) conn.close();
  }

  #acquire(baton: string | null): Stream {
    if (baton === null) return new Stream(this.#idle.pop() ?? new Connection(this.#file), (conn) => this.#pool(conn));
    const [id = '', nonce] = baton.split('.');
    const stream = this.#streams.get(id);
    if (stream === undefined)
      throw new HttpError(400, 'The baton is invalid or its stream was closed', 'BATON_INVALID');
    if (stream.expired) throw new HttpError(400, 'The stream has expired due to inactivity', 'STREAM_EXPIRED');
    if (stream.nonce !== nonce) throw new HttpError(400, 'The baton has already been used', 'BATON_REUSED');
    clearTimeout(stream.timer);
    return stream;
  }

  #release(stream: Stream): string | null {
    if (stream.conn === null) {
      this.#streams.delete(stream.id);
      return null;
    }
    stream.nonce = randomBytes(12).toString('base64url');
    this.#streams.set(stream.id, stream);
    stream.timer = setTimeout(() => this.#expire(stream), STREAM_EXPIRY_MS).unref();
    return `${stream.id}.${stream.nonce}`;
  }

  /** A connection left in a transaction, or one too many, is closed (rolling back) rather than kept. */
  #pool(conn: Connection): void {
    if (!this.#closed && conn.isAutocommit && this.#idle.length < MAX_IDLE) this.#idle.push(conn);
    else conn.close();
  }

  #expire(stream: Stream): void {
    stream.close();
    stream.expired = true;
    stream.timer = setTimeout(() => this.#streams.delete(stream.id), EXPIRED_MEMORY_MS).unref();
  }
}
