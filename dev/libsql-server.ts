/**
 * Local libSQL server for the dev stack and the integration tests: Hrana over HTTP (JSON encoding,
 * protocol versions 2 and 3) on a loopback port, backed by one database file through the `libsql`
 * package. It owns the protocol surface the project's clients touch — pipelines, batons, streams
 * with their own connections, stored SQL, batch conditions — and copies sqld's observable behaviour
 * there (result shapes, error codes and messages, argument binding, baton rotation, 10 s stream
 * expiry), so the app meets here the answers Turso or a real sqld would give it.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'libsql';

export interface LibsqlServerOptions {
  file: string;
  /** 0 picks a free port. */
  port?: number;
  host?: string;
}

export interface LibsqlServer {
  url: string;
  /** Closes the HTTP server and every stream's connection, rolling back open transactions. */
  close(): Promise<void>;
}

export async function startLibsqlServer(options: LibsqlServerOptions): Promise<LibsqlServer> {
  const host = options.host ?? '127.0.0.1';
  prepareDatabaseFile(options.file);
  const streams = new StreamRegistry(options.file);
  const server = http.createServer((req, res) => void serveHttp(streams, req, res));
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
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        streams.closeAll();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function prepareDatabaseFile(file: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  try {
    // WAL is stored in the file, so setting it once covers every later connection.
    const [[mode]] = db.prepare('PRAGMA journal_mode = WAL').raw(true).all([]) as [[unknown]];
    if (mode !== 'wal') throw new Error(`could not switch ${file} to WAL mode (got ${String(mode)})`);
  } finally {
    db.close();
  }
}

// ---------------------------------------------------------------------------------------------
// HTTP

const PIPELINE_PATHS = new Map<string, Version>([
  ['/v2/pipeline', 2],
  ['/v3/pipeline', 3],
]);

/** Never rejects: every failure becomes a response, because an unhandled rejection would kill the process. */
async function serveHttp(streams: StreamRegistry, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  try {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const version = PIPELINE_PATHS.get(pathname);
    if (req.method === 'GET' && (pathname === '/v2' || pathname === '/v3' || pathname === '/health')) {
      sendText(res, 200, 'Hello, this is HTTP API v2 (Hrana over HTTP)');
    } else if (req.method === 'POST' && version !== undefined) {
      const body = parseJson(await readBody(req));
      sendJson(res, 200, streams.pipeline(body, version));
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

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

function protocolError(message: string): never {
  throw new HttpError(400, message, 'PROTOCOL_ERROR');
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

// ---------------------------------------------------------------------------------------------
// Protocol messages

type Version = 2 | 3;
type SqlValue = null | bigint | number | string | Uint8Array;

interface SqlSource {
  sql?: string;
  sqlId?: number;
}
interface Stmt extends SqlSource {
  args: SqlValue[];
  namedArgs: Map<string, SqlValue>;
  wantRows: boolean;
}
type BatchCond =
  | { type: 'ok' | 'error'; step: number }
  | { type: 'not'; cond: BatchCond }
  | { type: 'and' | 'or'; conds: BatchCond[] }
  | { type: 'is_autocommit' };
interface BatchStep {
  condition?: BatchCond;
  stmt: Stmt;
}
type StreamRequest =
  | { type: 'close' | 'get_autocommit' }
  | { type: 'execute'; stmt: Stmt }
  | { type: 'batch'; steps: BatchStep[] }
  | { type: 'sequence' | 'describe'; source: SqlSource }
  | { type: 'store_sql'; sqlId: number; sql: string }
  | { type: 'close_sql'; sqlId: number };
interface PipelineRequest {
  baton: string | null;
  requests: StreamRequest[];
}

type ValueJson =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string };
interface ErrorJson {
  message: string;
  code: string;
}
interface StmtResultJson {
  cols: { name: string; decltype: string | null }[];
  rows: ValueJson[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
}
interface BatchResultJson {
  step_results: (StmtResultJson | null)[];
  step_errors: (ErrorJson | null)[];
}
interface DescribeResultJson {
  params: { name: string | null }[];
  cols: { name: string; decltype: string | null }[];
  is_explain: boolean;
  is_readonly: boolean;
}
type StreamResponse =
  | { type: 'close' | 'sequence' | 'store_sql' | 'close_sql' }
  | { type: 'execute'; result: StmtResultJson }
  | { type: 'batch'; result: BatchResultJson }
  | { type: 'describe'; result: DescribeResultJson }
  | { type: 'get_autocommit'; is_autocommit: boolean };
type StreamResult = { type: 'ok'; response: StreamResponse } | { type: 'error'; error: ErrorJson };
interface PipelineResponse {
  baton: string | null;
  base_url: null;
  results: StreamResult[];
}

type Json = Record<string, unknown>;

function asObject(value: unknown, what: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) protocolError(`${what} must be an object`);
  return value as Json;
}

function asArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) protocolError(`${what} must be an array`);
  return value;
}

/** Absent and null both mean "not given", as they do for sqld's optional fields. */
function optional<T>(value: unknown, read: (value: unknown) => T): T | undefined {
  return value === undefined || value === null ? undefined : read(value);
}

function asString(value: unknown, what: string): string {
  if (typeof value !== 'string') protocolError(`${what} must be a string`);
  return value;
}

function asInteger(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    protocolError(`${what} must be an integer between ${min} and ${max}`);
  }
  return value;
}

const asSqlId = (value: unknown): number => asInteger(value, 'sql_id', -(2 ** 31), 2 ** 31 - 1);

function decodePipeline(body: unknown, version: Version): PipelineRequest {
  const obj = asObject(body, 'request body');
  return {
    baton: optional(obj.baton, (v) => asString(v, 'baton')) ?? null,
    requests: asArray(obj.requests, 'requests').map((r) => decodeRequest(asObject(r, 'request'), version)),
  };
}

function decodeRequest(obj: Json, version: Version): StreamRequest {
  switch (obj.type) {
    case 'close':
      return { type: 'close' };
    case 'get_autocommit':
      if (version < 3) protocolError('The `get_autocommit` request is supported only on protocol version 3');
      return { type: 'get_autocommit' };
    case 'execute':
      return { type: 'execute', stmt: decodeStmt(obj.stmt) };
    case 'batch': {
      const steps = asArray(asObject(obj.batch, 'batch').steps, 'batch steps');
      return { type: 'batch', steps: steps.map((step, i) => decodeStep(step, i, version)) };
    }
    case 'sequence':
    case 'describe':
      return { type: obj.type, source: decodeSqlSource(obj) };
    case 'store_sql':
      return { type: 'store_sql', sqlId: asSqlId(obj.sql_id), sql: asString(obj.sql, 'sql') };
    case 'close_sql':
      return { type: 'close_sql', sqlId: asSqlId(obj.sql_id) };
    default:
      return protocolError(`Unknown stream request type ${JSON.stringify(obj.type)}`);
  }
}

function decodeSqlSource(obj: Json): SqlSource {
  const sql = optional(obj.sql, (v) => asString(v, 'sql'));
  const sqlId = optional(obj.sql_id, asSqlId);
  if ((sql === undefined) === (sqlId === undefined)) protocolError('Exactly one of `sql` and `sql_id` must be given');
  return { sql, sqlId };
}

function decodeStmt(value: unknown): Stmt {
  const obj = asObject(value, 'stmt');
  const namedArgs = new Map<string, SqlValue>();
  for (const arg of optional(obj.named_args, (v) => asArray(v, 'named_args')) ?? []) {
    const { name, value: argValue } = asObject(arg, 'named arg');
    namedArgs.set(asString(name, 'named arg name'), decodeValue(argValue));
  }
  return {
    ...decodeSqlSource(obj),
    args: (optional(obj.args, (v) => asArray(v, 'args')) ?? []).map(decodeValue),
    namedArgs,
    wantRows: optional(obj.want_rows, (v) => (typeof v === 'boolean' ? v : protocolError('want_rows must be a boolean'))) ?? true,
  };
}

function decodeStep(value: unknown, index: number, version: Version): BatchStep {
  const obj = asObject(value, 'batch step');
  return { condition: optional(obj.condition, (c) => decodeCond(c, index, version)), stmt: decodeStmt(obj.stmt) };
}

/** A condition may only look at earlier steps, which sqld checks before running anything. */
function decodeCond(value: unknown, stepIndex: number, version: Version): BatchCond {
  const obj = asObject(value, 'batch condition');
  switch (obj.type) {
    case 'ok':
    case 'error': {
      const step = asInteger(obj.step, 'condition step', 0, 2 ** 32 - 1);
      if (step >= stepIndex) protocolError(`The condition of batch step ${stepIndex} refers to step ${step}, which runs later`);
      return { type: obj.type, step };
    }
    case 'not':
      return { type: 'not', cond: decodeCond(obj.cond, stepIndex, version) };
    case 'and':
    case 'or':
      return { type: obj.type, conds: asArray(obj.conds, 'conds').map((c) => decodeCond(c, stepIndex, version)) };
    case 'is_autocommit':
      if (version < 3) protocolError('The `is_autocommit` condition is supported only on protocol version 3');
      return { type: 'is_autocommit' };
    default:
      return protocolError(`Unknown batch condition type ${JSON.stringify(obj.type)}`);
  }
}

const MIN_I64 = -(2n ** 63n);
const MAX_I64 = 2n ** 63n - 1n;

function decodeValue(value: unknown): SqlValue {
  const obj = asObject(value, 'value');
  switch (obj.type) {
    case 'null':
      return null;
    case 'integer': {
      const text = asString(obj.value, 'integer value');
      const int = /^[+-]?\d+$/.test(text) ? BigInt(text) : undefined;
      if (int === undefined || int < MIN_I64 || int > MAX_I64) protocolError(`Invalid 64-bit integer ${JSON.stringify(text)}`);
      return int;
    }
    case 'float':
      return typeof obj.value === 'number' ? obj.value : protocolError('float value must be a number');
    case 'text':
      return asString(obj.value, 'text value');
    case 'blob': {
      const base64 = asString(obj.base64, 'blob base64');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64)) protocolError('blob base64 is not valid base64');
      return Buffer.from(base64, 'base64');
    }
    default:
      return protocolError(`Unknown value type ${JSON.stringify(obj.type)}`);
  }
}

function encodeValue(value: unknown): ValueJson {
  if (value === null) return { type: 'null' };
  if (typeof value === 'bigint') return { type: 'integer', value: value.toString() };
  if (typeof value === 'number') return { type: 'float', value };
  if (typeof value === 'string') return { type: 'text', value };
  if (value instanceof Uint8Array) {
    // sqld writes base64 without padding.
    const base64 = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    return { type: 'blob', base64: base64.replace(/=+$/, '') };
  }
  throw new Error(`libsql returned an unsupported value of type ${typeof value}`);
}

// ---------------------------------------------------------------------------------------------
// SQL text analysis: libsql's prepare() silently drops everything after the first statement and
// aborts the process when handed named bindings for an unnamed parameter, so statements are split
// and their parameters numbered here, the way SQLite itself does it.

interface Token {
  kind: 'word' | 'param' | 'semi' | 'open' | 'close' | 'other';
  start: number;
  end: number;
}

interface ParsedStatement {
  sql: string;
  /** Parameter names by index (0 = ?1); null for a bare `?`. */
  params: (string | null)[];
  /** The statement's verb, looking through a leading WITH clause, e.g. SELECT, INSERT, EXPLAIN. */
  verb: string;
}

const SPACE = new Set([' ', '\t', '\n', '\f', '\r']);
const isIdStart = (c: string): boolean => /[A-Za-z_]/.test(c) || c.charCodeAt(0) >= 0x80;
const isIdChar = (c: string): boolean => /[A-Za-z0-9_$]/.test(c) || c.charCodeAt(0) >= 0x80;
const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

function endOfQuoted(sql: string, start: number, quote: string): number {
  let from = start + 1;
  for (;;) {
    const close = sql.indexOf(quote, from);
    if (close < 0) return sql.length;
    if (sql[close + 1] !== quote) return close + 1;
    from = close + 2;
  }
}

function scanWhile(sql: string, from: number, test: (c: string) => boolean): number {
  let i = from;
  while (i < sql.length && test(sql[i]!)) i++;
  return i;
}

/** Comments and whitespace are dropped; literals and quoted names come out as `other`. */
function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const start = i;
    const c = sql[i]!;
    let kind: Token['kind'] = 'other';
    if (SPACE.has(c)) {
      i++;
      continue;
    } else if (c === '-' && sql[i + 1] === '-') {
      const newline = sql.indexOf('\n', i);
      i = newline < 0 ? sql.length : newline + 1;
      continue;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? sql.length : close + 2;
      continue;
    } else if (c === "'" || c === '"' || c === '`') {
      i = endOfQuoted(sql, i, c);
    } else if (c === '[') {
      const close = sql.indexOf(']', i);
      i = close < 0 ? sql.length : close + 1;
    } else if (c === '?') {
      kind = 'param';
      i = scanWhile(sql, i + 1, isDigit);
    } else if ((c === ':' || c === '@' || c === '$') && i + 1 < sql.length && isIdChar(sql[i + 1]!)) {
      kind = 'param';
      i = scanWhile(sql, i + 1, isIdChar);
    } else if (isIdStart(c)) {
      kind = 'word';
      i = scanWhile(sql, i, isIdChar);
    } else if (isDigit(c) || (c === '.' && isDigit(sql[i + 1]))) {
      i = scanWhile(sql, i, (d) => /[0-9A-Za-z_.]/.test(d));
    } else {
      kind = c === ';' ? 'semi' : c === '(' ? 'open' : c === ')' ? 'close' : 'other';
      i++;
    }
    tokens.push({ kind, start, end: i });
  }
  return tokens;
}

// sqlite3_complete()'s state machine (its whitespace column dropped): a semicolon ends a statement
// only when it lands in START, which keeps the semicolons inside a CREATE TRIGGER body.
// Columns: semi, other, EXPLAIN, CREATE, TEMP, TRIGGER, END.
const START = 1;
const TRANSITIONS = [
  [1, 2, 3, 4, 2, 2, 2], // 0 initial
  [1, 2, 3, 4, 2, 2, 2], // 1 start
  [1, 2, 2, 2, 2, 2, 2], // 2 normal
  [1, 3, 2, 4, 2, 2, 2], // 3 explain
  [1, 2, 2, 2, 4, 5, 2], // 4 create
  [6, 5, 5, 5, 5, 5, 5], // 5 trigger
  [6, 5, 5, 5, 5, 5, 7], // 6 semicolon inside a trigger
  [1, 5, 5, 5, 5, 5, 5], // 7 END after such a semicolon
];
const KEYWORD_CLASSES: Record<string, number> = { EXPLAIN: 2, CREATE: 3, TEMP: 4, TEMPORARY: 4, TRIGGER: 5, END: 6 };

function tokenClass(sql: string, token: Token): number {
  if (token.kind === 'semi') return 0;
  if (token.kind !== 'word') return 1;
  return KEYWORD_CLASSES[sql.slice(token.start, token.end).toUpperCase()] ?? 1;
}

function splitStatements(sql: string): ParsedStatement[] {
  const statements: ParsedStatement[] = [];
  let current: Token[] = [];
  let state = 0;
  for (const token of tokenize(sql)) {
    state = TRANSITIONS[state]![tokenClass(sql, token)]!;
    if (token.kind === 'semi' && state === START) {
      if (current.length > 0) statements.push(parseStatement(sql, current));
      current = [];
    } else {
      current.push(token);
    }
  }
  if (current.length > 0) statements.push(parseStatement(sql, current));
  return statements;
}

const MAIN_VERBS = new Set(['SELECT', 'VALUES', 'INSERT', 'REPLACE', 'UPDATE', 'DELETE']);
const MAX_PARAM_INDEX = 32766; // SQLite's default SQLITE_MAX_VARIABLE_NUMBER

function parseStatement(sql: string, tokens: Token[]): ParsedStatement {
  const text = (t: Token): string => sql.slice(t.start, t.end);
  const params: (string | null)[] = [];
  let verb = '';
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'open') depth++;
    else if (token.kind === 'close') depth--;
    else if (token.kind === 'word' && (verb === '' || (verb === 'WITH' && depth === 0))) {
      const word = text(token).toUpperCase();
      if (verb === '' || MAIN_VERBS.has(word)) verb = word;
    } else if (token.kind === 'param') {
      addParam(params, text(token));
    }
  }
  return { sql: sql.slice(tokens[0]!.start, tokens.at(-1)!.end), params, verb };
}

/** Numbers parameters the way SQLite does: `?` takes the next index, `?N` index N, a repeated name its first index. */
function addParam(params: (string | null)[], name: string): void {
  if (name === '?') {
    params.push(null);
  } else if (name.startsWith('?')) {
    const index = Number(name.slice(1));
    if (index < 1 || index > MAX_PARAM_INDEX) return; // prepare() rejects it before anything is bound
    while (params.length < index) params.push(null);
    params[index - 1] ??= name;
  } else if (!params.includes(name)) {
    params.push(name);
  }
}

type Args = { named: false; values: SqlValue[] } | { named: true; values: Map<string, SqlValue> };

/** sqld's binding rules: every parameter needs a value, surplus values are an error, names match with or without their prefix. */
function bindArgs(params: (string | null)[], args: Args): SqlValue[] {
  const given = args.named ? args.values.size : args.values.length;
  if (given > params.length) throw argsError(`too many parameters, expected ${params.length} found ${given}`);
  return params.map((name, i) => {
    const value = lookupArg(name, i + 1, args);
    if (value === undefined) throw argsError(`value for parameter ${name ?? i + 1} not found`);
    return value;
  });
}

function lookupArg(name: string | null, index: number, args: Args): SqlValue | undefined {
  if (!args.named) {
    if (name === null) return args.values[index - 1];
    return name.startsWith('?') ? args.values[Number(name.slice(1)) - 1] : undefined;
  }
  if (name === null || name.startsWith('?')) return undefined;
  return args.values.has(name) ? args.values.get(name) : args.values.get(name.slice(1));
}

// ---------------------------------------------------------------------------------------------
// Statement errors: per-request failures reported inside a 200 response, with sqld's codes.

class StatementError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  toJson(): ErrorJson {
    return { message: this.message, code: this.code };
  }
}

const argsError = (detail: string): StatementError =>
  new StatementError('ARGS_INVALID', `Arguments do not match SQL parameters: ${detail}`);

// sqld reports the primary result code only (rusqlite's ErrorCode), SQLITE_ERROR included as SQLITE_UNKNOWN.
const PRIMARY_CODES: Record<number, string> = {
  2: 'SQLITE_INTERNAL',
  3: 'SQLITE_PERM',
  4: 'SQLITE_ABORT',
  5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED',
  7: 'SQLITE_NOMEM',
  8: 'SQLITE_READONLY',
  9: 'SQLITE_INTERRUPT',
  10: 'SQLITE_IOERR',
  11: 'SQLITE_CORRUPT',
  12: 'SQLITE_NOTFOUND',
  13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN',
  15: 'SQLITE_PROTOCOL',
  17: 'SQLITE_SCHEMA',
  18: 'SQLITE_TOOBIG',
  19: 'SQLITE_CONSTRAINT',
  20: 'SQLITE_MISMATCH',
  21: 'SQLITE_MISUSE',
  22: 'SQLITE_NOLFS',
  23: 'SQLITE_AUTH',
  25: 'SQLITE_RANGE',
  26: 'SQLITE_NOTADB',
};

/** Errors that are not SQLite's (a bug here or in libsql) propagate and fail the whole request. */
function sqliteError(err: unknown, duringPrepare: boolean): StatementError {
  if (!(err instanceof Database.SqliteError)) throw err;
  const primary = err.rawCode === undefined ? 1 : err.rawCode & 0xff;
  // sqld reports a generic error raised while compiling (no such table/column, syntax) as an input error.
  if (duringPrepare && primary === 1) return new StatementError('SQL_INPUT_ERROR', `SQL input error: ${err.message}`);
  return new StatementError(PRIMARY_CODES[primary] ?? 'SQLITE_UNKNOWN', `SQLite error: ${err.message}`);
}

// ---------------------------------------------------------------------------------------------
// Connections

const WRITE_VERBS = new Set(['INSERT', 'REPLACE', 'UPDATE', 'DELETE']);
const INSERT_VERBS = new Set(['INSERT', 'REPLACE']);
// Approximates sqlite3_stmt_readonly(), which the libsql package does not expose.
const READONLY_VERBS = new Set(['SELECT', 'VALUES', 'EXPLAIN', 'BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE']);

class Connection {
  readonly #db: Database.Database;
  #changesStmt: Database.Statement | undefined;

  constructor(file: string) {
    // timeout 0: a write meeting another stream's write transaction fails at once with SQLITE_BUSY.
    this.#db = new Database(file, { timeout: 0 });
    this.#db.defaultSafeIntegers(true);
    this.#db.exec('PRAGMA foreign_keys = ON');
    // The usual pairing with WAL: no fsync per commit, still safe if the process crashes
    // (a power cut may lose the last commits, which a development database can afford).
    this.#db.exec('PRAGMA synchronous = NORMAL');
  }

  get isAutocommit(): boolean {
    return !this.#db.inTransaction;
  }

  execute(statement: ParsedStatement, args: Args, wantRows: boolean): StmtResultJson {
    const prepared = this.#prepare(statement.sql);
    const values = bindArgs(statement.params, args);
    let rows: unknown[] = [];
    try {
      if (prepared.reader) rows = prepared.raw(true).all(values);
      else prepared.run(values);
    } catch (err) {
      throw sqliteError(err, false);
    }
    // As in sqld: changes() only for INSERT/UPDATE/DELETE, since SQLite leaves it stale after
    // other statements, and a rowid only for INSERT.
    const isWrite = WRITE_VERBS.has(statement.verb);
    const [changes, rowid] = isWrite ? this.#lastChange() : [0n, 0n];
    return {
      cols: columnsOf(prepared),
      rows: wantRows ? rows.map(encodeRow) : [],
      affected_row_count: Number(changes),
      last_insert_rowid: INSERT_VERBS.has(statement.verb) ? rowid.toString() : null,
    };
  }

  describe(statement: ParsedStatement): DescribeResultJson {
    return {
      params: statement.params.map((name) => ({ name })),
      cols: columnsOf(this.#prepare(statement.sql)),
      is_explain: statement.verb === 'EXPLAIN',
      is_readonly: READONLY_VERBS.has(statement.verb),
    };
  }

  /**
   * Rolls back first: statements still awaiting the GC keep the native connection, and its locks,
   * alive past close(). Never throws, since it also runs from timers.
   */
  close(): void {
    try {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
    } catch {
      // Nothing more can be done for this connection; it is closed below either way.
    }
    this.#db.close();
  }

  #prepare(sql: string): Database.Statement {
    try {
      return this.#db.prepare(sql);
    } catch (err) {
      throw sqliteError(err, true);
    }
  }

  #lastChange(): [bigint, bigint] {
    this.#changesStmt ??= this.#db.prepare('SELECT changes(), last_insert_rowid()').raw(true);
    const [row] = this.#changesStmt.all([]) as [[bigint, bigint]];
    return row;
  }
}

function columnsOf(prepared: Database.Statement): { name: string; decltype: string | null }[] {
  return prepared.columns().map((col) => ({ name: col.name, decltype: col.type }));
}

function encodeRow(row: unknown): ValueJson[] {
  if (!Array.isArray(row)) throw new Error('libsql returned a row that is not an array');
  return row.map(encodeValue);
}

// ---------------------------------------------------------------------------------------------
// Streams

const STREAM_EXPIRY_MS = 10_000;
/** How long an expired stream's baton keeps answering "expired" rather than "invalid". */
const EXPIRED_MEMORY_MS = 300_000;
const MAX_STORED_SQLS = 50;
const MAX_STORED_SQL_BYTES = 5_000;

class Stream {
  readonly id = randomBytes(12).toString('base64url');
  readonly sqls = new Map<number, string>();
  /** The nonce the next baton must carry; rotated on every request so a baton works once. */
  nonce = '';
  expired = false;
  timer: NodeJS.Timeout | undefined;

  constructor(public conn: Connection | null) {}

  connection(): Connection {
    if (this.conn === null) throw new HttpError(400, 'The stream has already been closed', 'STREAM_CLOSED');
    return this.conn;
  }

  close(): void {
    const conn = this.conn;
    this.conn = null;
    conn?.close();
  }

  resolveSql(source: SqlSource): string {
    if (source.sql !== undefined) return source.sql;
    const sql = this.sqls.get(source.sqlId!);
    if (sql === undefined) throw new HttpError(400, `SQL text with id ${source.sqlId} was not found`, 'SQL_NOT_FOUND');
    return sql;
  }
}

class StreamRegistry {
  readonly #file: string;
  /** Streams between requests, by id: open ones waiting for their baton, and recently expired ones. */
  readonly #streams = new Map<string, Stream>();
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
  }

  #acquire(baton: string | null): Stream {
    if (baton === null) return new Stream(new Connection(this.#file));
    const [id = '', nonce] = baton.split('.');
    const stream = this.#streams.get(id);
    if (stream === undefined) throw new HttpError(400, 'The baton is invalid or its stream was closed', 'BATON_INVALID');
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

  #expire(stream: Stream): void {
    stream.close();
    stream.expired = true;
    stream.timer = setTimeout(() => this.#streams.delete(stream.id), EXPIRED_MEMORY_MS).unref();
  }
}

function handleRequest(stream: Stream, request: StreamRequest): StreamResult {
  try {
    return { type: 'ok', response: respond(stream, request) };
  } catch (err) {
    if (err instanceof StatementError) return { type: 'error', error: err.toJson() };
    throw err;
  }
}

function respond(stream: Stream, request: StreamRequest): StreamResponse {
  switch (request.type) {
    case 'close':
      stream.close();
      return { type: 'close' };
    case 'execute': {
      const conn = stream.connection();
      const { statement, args } = prepareStmt(stream, request.stmt);
      return { type: 'execute', result: conn.execute(statement, args, request.stmt.wantRows) };
    }
    case 'batch':
      return { type: 'batch', result: runBatch(stream, request.steps) };
    case 'sequence': {
      const conn = stream.connection();
      // sqld runs each statement with no arguments and stops at the first failure.
      for (const statement of splitStatements(stream.resolveSql(request.source))) {
        conn.execute(statement, { named: false, values: [] }, false);
      }
      return { type: 'sequence' };
    }
    case 'describe': {
      const conn = stream.connection();
      return { type: 'describe', result: conn.describe(singleStatement(stream.resolveSql(request.source))) };
    }
    case 'store_sql':
      storeSql(stream, request.sqlId, request.sql);
      return { type: 'store_sql' };
    case 'close_sql':
      stream.sqls.delete(request.sqlId);
      return { type: 'close_sql' };
    case 'get_autocommit':
      return { type: 'get_autocommit', is_autocommit: stream.connection().isAutocommit };
  }
}

function singleStatement(sql: string): ParsedStatement {
  const [statement, ...rest] = splitStatements(sql);
  if (statement === undefined) throw new StatementError('SQL_NO_STATEMENT', 'SQL string does not contain any statement');
  if (rest.length > 0) throw new StatementError('SQL_MANY_STATEMENTS', 'SQL string contains more than one statement');
  return statement;
}

function prepareStmt(stream: Stream, stmt: Stmt): { statement: ParsedStatement; args: Args } {
  const statement = singleStatement(stream.resolveSql(stmt));
  if (stmt.args.length > 0 && stmt.namedArgs.size > 0) {
    throw new StatementError('ARGS_BOTH_POSITIONAL_AND_NAMED', 'Specifying both positional and named arguments is not supported');
  }
  const args: Args = stmt.namedArgs.size > 0 ? { named: true, values: stmt.namedArgs } : { named: false, values: stmt.args };
  return { statement, args };
}

function runBatch(stream: Stream, steps: BatchStep[]): BatchResultJson {
  const conn = stream.connection();
  // sqld checks every step's SQL and arguments before running any: one bad step fails the whole batch.
  const prepared = steps.map((step) => prepareStmt(stream, step.stmt));
  const succeeded: boolean[] = [];
  const result: BatchResultJson = { step_results: [], step_errors: [] };
  steps.forEach((step, i) => {
    let outcome: StmtResultJson | StatementError | null = null;
    if (step.condition === undefined || evalCond(step.condition, succeeded, conn)) {
      const { statement, args } = prepared[i]!;
      try {
        outcome = conn.execute(statement, args, step.stmt.wantRows);
      } catch (err) {
        if (!(err instanceof StatementError)) throw err;
        outcome = err;
      }
    }
    succeeded.push(outcome !== null && !(outcome instanceof StatementError));
    result.step_results.push(outcome instanceof StatementError ? null : outcome);
    result.step_errors.push(outcome instanceof StatementError ? outcome.toJson() : null);
  });
  return result;
}

/** As in sqld, `error` holds for a step that failed or was skipped: it is simply "not ok". */
function evalCond(cond: BatchCond, succeeded: boolean[], conn: Connection): boolean {
  switch (cond.type) {
    case 'ok':
      return succeeded[cond.step]!;
    case 'error':
      return !succeeded[cond.step]!;
    case 'not':
      return !evalCond(cond.cond, succeeded, conn);
    case 'and':
      return cond.conds.every((c) => evalCond(c, succeeded, conn));
    case 'or':
      return cond.conds.some((c) => evalCond(c, succeeded, conn));
    case 'is_autocommit':
      return conn.isAutocommit;
  }
}

function storeSql(stream: Stream, sqlId: number, sql: string): void {
  if (stream.sqls.has(sqlId)) throw new HttpError(400, `SQL text with id ${sqlId} already exists`, 'SQL_EXISTS');
  if (stream.sqls.size >= MAX_STORED_SQLS) {
    throw new StatementError('SQL_STORE_TOO_MANY', `The server already stores ${stream.sqls.size} SQL texts, it cannot store more`);
  }
  const size = Buffer.byteLength(sql);
  if (size > MAX_STORED_SQL_BYTES) {
    throw new StatementError('SQL_STORE_TOO_LARGE', `The statement is too large to be stored: ${size}/${MAX_STORED_SQL_BYTES} bytes`);
  }
  stream.sqls.set(sqlId, sql);
}

// ---------------------------------------------------------------------------------------------
// `npx tsx dev/libsql-server.ts <file> [port]`

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const [file, port] = process.argv.slice(2);
  if (file === undefined) {
    console.error('usage: tsx dev/libsql-server.ts <database file> [port]');
    process.exit(2);
  }
  const server = await startLibsqlServer({ file, port: Number(port ?? 0) });
  console.log(server.url);
  process.once('SIGINT', () => void server.close().then(() => process.exit(0)));
}
