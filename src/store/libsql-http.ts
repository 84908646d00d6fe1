/**
 * The libSQL server's own HTTP protocol (Hrana over HTTP, version 2, JSON), as drizzle's libSQL
 * driver uses a client: `execute`, `batch` (one transaction) and `migrate`. Each call is one POST of
 * a pipeline that opens a stream, runs the statement or the batch and closes the stream, so a call
 * is one round trip and no stream outlives it. Turso, a self-hosted sqld and the local dev server
 * all speak it. Calls are not queued: one that waited for another request's slot would start from
 * that request's context, which workerd cancels as hung once it ends; the server bounds concurrency.
 *
 * It stands in for `@libsql/client/http`, which carries what the app never uses (a protobuf
 * encoding, cursors, interactive transactions, a WebSocket fallback): about 13 KiB of the worker's
 * gzip size, loaded on every cold start. Values travel as that client sends and reads them, so the
 * stored data is the same: a JS number goes as a float (SQLite stores an integral one in an INTEGER
 * column as an integer), an integer comes back as a number, a blob as an ArrayBuffer.
 */
import { fromBase64, toBase64 } from '../crypto/base64.ts';

export type SqlArg = null | string | number | bigint | boolean | Uint8Array | ArrayBuffer | Date;

export interface Statement {
  sql: string;
  args?: readonly SqlArg[];
}

/** An array-like row whose columns are also its enumerable properties, as drizzle reads rows. */
export type Row = Record<string, unknown> & { readonly length: number; readonly [index: number]: unknown };

export interface ResultSet {
  columns: string[];
  columnTypes: string[];
  rows: Row[];
  rowsAffected: number;
  lastInsertRowid: bigint | undefined;
}

export interface LibsqlHttpClient {
  execute(statement: Statement): Promise<ResultSet>;
  /** The statements in one transaction: all of them take effect, or none does and the first failure is thrown. */
  batch(statements: readonly Statement[]): Promise<ResultSet[]>;
  /** A batch with foreign keys off while it runs, as migrations that rebuild tables need. */
  migrate(statements: readonly Statement[]): Promise<ResultSet[]>;
  /** Nothing to release: no stream outlives its call. */
  close(): void;
}

/** The server refused a statement or the pipeline. `code` is the server's (e.g. SQLITE_CONSTRAINT). */
export class LibsqlError extends Error {
  override readonly name = 'LibsqlError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

export interface LibsqlHttpOptions {
  /** `libsql:` (TLS unless `?tls=0`), `https:` or `http:`. */
  url: string;
  authToken?: string;
  fetch?: typeof fetch;
}

type Value =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string };

interface StmtResult {
  cols: { name: string | null; decltype: string | null }[];
  rows: Value[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
}

type Condition = { type: 'ok'; step: number } | { type: 'not'; cond: Condition };

interface ServerError {
  message: string;
  code?: string | null;
}

type StreamResult =
  | { type: 'ok'; response: { type: 'execute'; result: StmtResult } }
  | {
      type: 'ok';
      response: { type: 'batch'; result: { step_results: (StmtResult | null)[]; step_errors: (ServerError | null)[] } };
    }
  | { type: 'error'; error: ServerError };

export function openLibsqlHttp({ url, authToken, fetch: send = fetch }: LibsqlHttpOptions): LibsqlHttpClient {
  const endpoint = pipelineUrl(url);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authToken) headers.authorization = `Bearer ${authToken}`;

  async function pipeline(request: object): Promise<StreamResult & { type: 'ok' }> {
    const response = await send(endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify({ baton: null, requests: [request, { type: 'close' }] }),
    });
    if (!response.ok) throw await httpError(response);
    const body = (await response.json().catch(() => ({}))) as { results?: StreamResult[] };
    const result = body.results?.[0];
    if (result?.type === 'error') throw new LibsqlError(result.error.message, result.error.code ?? undefined);
    if (result?.type !== 'ok') throw new LibsqlError('the libSQL server answered without a result', undefined);
    return result;
  }

  async function transaction(statements: readonly Statement[], foreignKeysOff: boolean): Promise<ResultSet[]> {
    const steps: { stmt: object; condition?: Condition }[] = [];
    const after = (step: number): Condition => ({ type: 'ok', step });
    if (foreignKeysOff) steps.push({ stmt: plain('PRAGMA foreign_keys=off') });
    const begin = steps.push({ stmt: plain('BEGIN DEFERRED') }) - 1;
    for (const statement of statements)
      steps.push({ stmt: encodeStatement(statement), condition: after(steps.length - 1) });
    const commit = steps.push({ stmt: plain('COMMIT'), condition: after(steps.length - 1) }) - 1;
    steps.push({ stmt: plain('ROLLBACK'), condition: { type: 'not', cond: after(commit) } });
    if (foreignKeysOff) steps.push({ stmt: plain('PRAGMA foreign_keys=on') });

    const { response } = await pipeline({ type: 'batch', batch: { steps } });
    if (response.type !== 'batch')
      throw new LibsqlError('the libSQL server answered a batch with another result', undefined);
    const { step_results: results, step_errors: errors } = response.result;
    // The first failure from BEGIN to COMMIT is the batch's: the steps after it did not run.
    for (let step = begin; step <= commit; step++) {
      const error = errors[step];
      if (error) throw new LibsqlError(error.message, error.code ?? undefined);
    }
    return results.slice(begin + 1, commit).map((result) => {
      if (!result) throw new LibsqlError('a statement of the batch did not run', undefined);
      return toResultSet(result);
    });
  }

  return {
    async execute(statement) {
      const { response } = await pipeline({ type: 'execute', stmt: encodeStatement(statement) });
      if (response.type !== 'execute')
        throw new LibsqlError('the libSQL server answered a statement with another result', undefined);
      return toResultSet(response.result);
    },
    batch: (statements) => transaction(statements, false),
    migrate: (statements) => transaction(statements, true),
    close() {},
  };
}

/** Where pipelines go: `v2/pipeline` resolved against the database's URL, `libsql:` read as https (or http with ?tls=0). */
function pipelineUrl(url: string): URL {
  const given = new URL(url);
  const noTls = given.searchParams.get('tls') === '0';
  const scheme = given.protocol === 'libsql:' ? (noTls ? 'http:' : 'https:') : given.protocol;
  if (scheme !== 'http:' && scheme !== 'https:') {
    throw new LibsqlError(`a libSQL server is reached over libsql:, https: or http:, not ${given.protocol}`, undefined);
  }
  return new URL('v2/pipeline', `${scheme}//${given.host}${given.pathname}`);
}

async function httpError(response: Response): Promise<LibsqlError> {
  // The body is the protocol's error when the server wrote it, or whatever a proxy on the way did.
  const text = await response.text().catch(() => '');
  let message: string | undefined;
  try {
    message = (JSON.parse(text) as ServerError).message;
  } catch {}
  return new LibsqlError(
    `the libSQL server answered HTTP ${response.status}${message ? `: ${message}` : ''}`,
    `HTTP_${response.status}`,
  );
}

const plain = (sql: string) => ({ sql, want_rows: false });

function encodeStatement({ sql, args = [] }: Statement) {
  return { sql, args: args.map(encodeValue), want_rows: true };
}

const MIN_I64 = -(2n ** 63n);
const MAX_I64 = 2n ** 63n - 1n;

function encodeValue(value: SqlArg): Value {
  if (value === null) return { type: 'null' };
  switch (typeof value) {
    case 'string':
      return { type: 'text', value };
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError('only finite numbers can be stored');
      return { type: 'float', value };
    case 'bigint':
      if (value < MIN_I64 || value > MAX_I64) throw new RangeError('an integer argument must fit in 64 bits');
      return { type: 'integer', value: value.toString() };
    case 'boolean':
      return { type: 'integer', value: value ? '1' : '0' };
  }
  if (value instanceof Date) return { type: 'float', value: value.valueOf() };
  if (value instanceof Uint8Array) return { type: 'blob', base64: toBase64(value) };
  if (value instanceof ArrayBuffer) return { type: 'blob', base64: toBase64(new Uint8Array(value)) };
  throw new TypeError(`a ${typeof value} cannot be passed to the database`);
}

function decodeValue(value: Value): unknown {
  switch (value.type) {
    case 'null':
      return null;
    case 'integer': {
      const number = Number(value.value);
      if (!Number.isSafeInteger(number)) throw new RangeError('the database returned an integer beyond 2^53');
      return number;
    }
    case 'float':
    case 'text':
      return value.value;
    case 'blob':
      return fromBase64(value.base64).buffer;
    default:
      throw new LibsqlError(`the libSQL server returned a value of unknown type`, undefined);
  }
}

function toResultSet(result: StmtResult): ResultSet {
  const columns = result.cols.map((col) => col.name ?? '');
  return {
    columns,
    columnTypes: result.cols.map((col) => col.decltype ?? ''),
    rows: result.rows.map((values) => toRow(columns, values)),
    rowsAffected: result.affected_row_count,
    lastInsertRowid: result.last_insert_rowid === null ? undefined : BigInt(result.last_insert_rowid),
  };
}

/** Indexes and length are not enumerable, so spreading or keying a row gives its columns; the first of two same-named columns wins. */
function toRow(columns: readonly string[], values: readonly Value[]): Row {
  const row = Object.defineProperty({}, 'length', { value: values.length }) as Row;
  values.forEach((encoded, index) => {
    const value = decodeValue(encoded);
    Object.defineProperty(row, index, { value });
    const name = columns[index] as string;
    if (!Object.hasOwn(row, name))
      Object.defineProperty(row, name, { value, enumerable: true, writable: true, configurable: true });
  });
  return row;
}
