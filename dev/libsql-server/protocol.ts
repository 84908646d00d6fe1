/**
 * The Hrana JSON protocol: the shapes of pipeline requests and responses, decoding a request body
 * into checked messages (anything malformed is a PROTOCOL_ERROR for the whole pipeline, as in
 * sqld), and encoding SQLite values the way sqld writes them.
 */
import { type ErrorJson, protocolError } from './errors.ts';

export type Version = 2 | 3;
export type SqlValue = null | bigint | number | string | Uint8Array;

export interface SqlSource {
  sql?: string;
  sqlId?: number;
}
export interface Stmt extends SqlSource {
  args: SqlValue[];
  namedArgs: Map<string, SqlValue>;
  wantRows: boolean;
}
export type BatchCond =
  | { type: 'ok' | 'error'; step: number }
  | { type: 'not'; cond: BatchCond }
  | { type: 'and' | 'or'; conds: BatchCond[] }
  | { type: 'is_autocommit' };
interface BatchStep {
  condition?: BatchCond;
  stmt: Stmt;
}
export type StreamRequest =
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
export interface StmtResultJson {
  cols: { name: string; decltype: string | null }[];
  rows: ValueJson[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
}
export interface BatchResultJson {
  step_results: (StmtResultJson | null)[];
  step_errors: (ErrorJson | null)[];
}
export interface DescribeResultJson {
  params: { name: string | null }[];
  cols: { name: string; decltype: string | null }[];
  is_explain: boolean;
  is_readonly: boolean;
}
export type StreamResponse =
  | { type: 'close' | 'sequence' | 'store_sql' | 'close_sql' }
  | { type: 'execute'; result: StmtResultJson }
  | { type: 'batch'; result: BatchResultJson }
  | { type: 'describe'; result: DescribeResultJson }
  | { type: 'get_autocommit'; is_autocommit: boolean };
export type StreamResult = { type: 'ok'; response: StreamResponse } | { type: 'error'; error: ErrorJson };
export interface PipelineResponse {
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

export function decodePipeline(body: unknown, version: Version): PipelineRequest {
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
    wantRows:
      optional(obj.want_rows, (v) => (typeof v === 'boolean' ? v : protocolError('want_rows must be a boolean'))) ??
      true,
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
      if (step >= stepIndex)
        protocolError(`The condition of batch step ${stepIndex} refers to step ${step}, which runs later`);
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
      if (int === undefined || int < MIN_I64 || int > MAX_I64)
        protocolError(`Invalid 64-bit integer ${JSON.stringify(text)}`);
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

export function encodeRow(row: unknown): ValueJson[] {
  if (!Array.isArray(row)) throw new Error('libsql returned a row that is not an array');
  return row.map(encodeValue);
}
