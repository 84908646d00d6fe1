/**
 * The database on the `libsql` package: preparing the file, and one connection per stream that
 * executes, describes and batches statements, binds arguments by sqld's rules and reports SQLite's
 * failures with sqld's codes. The only module that touches libsql, so its quirks stay here.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'libsql';
import { StatementError } from './errors.ts';
import {
  type BatchCond,
  type BatchResultJson,
  type DescribeResultJson,
  encodeRow,
  type SqlValue,
  type StmtResultJson,
} from './protocol.ts';
import type { ParsedStatement } from './sql-statements.ts';

export function prepareDatabaseFile(file: string): void {
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

const WRITE_VERBS = new Set(['INSERT', 'REPLACE', 'UPDATE', 'DELETE']);
const INSERT_VERBS = new Set(['INSERT', 'REPLACE']);
// Approximates sqlite3_stmt_readonly(), which the libsql package does not expose.
const READONLY_VERBS = new Set([
  'SELECT',
  'VALUES',
  'EXPLAIN',
  'BEGIN',
  'COMMIT',
  'END',
  'ROLLBACK',
  'SAVEPOINT',
  'RELEASE',
]);

/** Prepared statements a connection keeps, by SQL text: the clients send the same few over and over. */
const MAX_PREPARED = 256;

export class Connection {
  readonly #db: Database.Database;
  readonly #prepared = new Map<string, Database.Statement>();
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
    let prepared = this.#prepared.get(sql);
    if (prepared) return prepared;
    try {
      prepared = this.#db.prepare(sql);
    } catch (err) {
      throw sqliteError(err, true);
    }
    if (this.#prepared.size >= MAX_PREPARED) this.#prepared.clear();
    this.#prepared.set(sql, prepared);
    return prepared;
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

interface BatchStepToRun {
  condition?: BatchCond;
  statement: ParsedStatement;
  args: Args;
  wantRows: boolean;
}

/** Runs steps already checked by the caller: a failed step is recorded, not thrown, and later conditions see it. */
export function runBatch(conn: Connection, steps: BatchStepToRun[]): BatchResultJson {
  const succeeded: boolean[] = [];
  const result: BatchResultJson = { step_results: [], step_errors: [] };
  for (const step of steps) {
    let outcome: StmtResultJson | StatementError | null = null;
    if (step.condition === undefined || evalCond(step.condition, succeeded, conn)) {
      try {
        outcome = conn.execute(step.statement, step.args, step.wantRows);
      } catch (err) {
        if (!(err instanceof StatementError)) throw err;
        outcome = err;
      }
    }
    succeeded.push(outcome !== null && !(outcome instanceof StatementError));
    result.step_results.push(outcome instanceof StatementError ? null : outcome);
    result.step_errors.push(outcome instanceof StatementError ? outcome.toJson() : null);
  }
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

export type Args = { named: false; values: SqlValue[] } | { named: true; values: Map<string, SqlValue> };

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
