/**
 * What each stream request does: execute, batch, sequence, describe, stored SQL, autocommit.
 * Resolves stored SQL and checks statements and arguments before handing them to the stream's
 * connection, and turns a StatementError into that request's error result.
 */
import { type Args, runBatch } from './connection.ts';
import { HttpError, StatementError } from './errors.ts';
import type { Stmt, StreamRequest, StreamResponse, StreamResult } from './protocol.ts';
import { type ParsedStatement, splitStatements } from './sql-statements.ts';
import type { Stream } from './stream.ts';

const MAX_STORED_SQLS = 50;
const MAX_STORED_SQL_BYTES = 5_000;

export function handleRequest(stream: Stream, request: StreamRequest): StreamResult {
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
    case 'batch': {
      const conn = stream.connection();
      // sqld checks every step's SQL and arguments before running any: one bad step fails the whole batch.
      const steps = request.steps.map((step) => ({
        condition: step.condition,
        ...prepareStmt(stream, step.stmt),
        wantRows: step.stmt.wantRows,
      }));
      return { type: 'batch', result: runBatch(conn, steps) };
    }
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

/** Parsed SQL texts, by text: parsing is pure, and clients send the same few texts over and over. */
const parsed = new Map<string, ParsedStatement[]>();
const MAX_PARSED = 1_000;

function split(sql: string): ParsedStatement[] {
  let statements = parsed.get(sql);
  if (!statements) {
    statements = splitStatements(sql);
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(sql, statements);
  }
  return statements;
}

function singleStatement(sql: string): ParsedStatement {
  const [statement, ...rest] = split(sql);
  if (statement === undefined)
    throw new StatementError('SQL_NO_STATEMENT', 'SQL string does not contain any statement');
  if (rest.length > 0) throw new StatementError('SQL_MANY_STATEMENTS', 'SQL string contains more than one statement');
  return statement;
}

function prepareStmt(stream: Stream, stmt: Stmt): { statement: ParsedStatement; args: Args } {
  const statement = singleStatement(stream.resolveSql(stmt));
  if (stmt.args.length > 0 && stmt.namedArgs.size > 0) {
    throw new StatementError(
      'ARGS_BOTH_POSITIONAL_AND_NAMED',
      'Specifying both positional and named arguments is not supported',
    );
  }
  const args: Args =
    stmt.namedArgs.size > 0 ? { named: true, values: stmt.namedArgs } : { named: false, values: stmt.args };
  return { statement, args };
}

function storeSql(stream: Stream, sqlId: number, sql: string): void {
  if (stream.sqls.has(sqlId)) throw new HttpError(400, `SQL text with id ${sqlId} already exists`, 'SQL_EXISTS');
  if (stream.sqls.size >= MAX_STORED_SQLS) {
    throw new StatementError(
      'SQL_STORE_TOO_MANY',
      `The server already stores ${stream.sqls.size} SQL texts, it cannot store more`,
    );
  }
  const size = Buffer.byteLength(sql);
  if (size > MAX_STORED_SQL_BYTES) {
    throw new StatementError(
      'SQL_STORE_TOO_LARGE',
      `The statement is too large to be stored: ${size}/${MAX_STORED_SQL_BYTES} bytes`,
    );
  }
  stream.sqls.set(sqlId, sql);
}
