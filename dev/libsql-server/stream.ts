/**
 * One stream: the connection it owns (so a transaction spans requests), the SQL texts stored on it,
 * and the nonce its next baton must carry. What a request acts on; the registry (streams.ts) finds,
 * rotates and expires streams.
 */
import { randomBytes } from 'node:crypto';
import type { Connection } from './connection.ts';
import { HttpError } from './errors.ts';
import type { SqlSource } from './protocol.ts';

export class Stream {
  readonly id = randomBytes(12).toString('base64url');
  readonly sqls = new Map<number, string>();
  /** The nonce the next baton must carry; rotated on every request so a baton works once. */
  nonce = '';
  expired = false;
  timer: NodeJS.Timeout | undefined;

  constructor(
    public conn: Connection | null,
    /** Takes the connection back when the stream closes (the registry pools it). */
    private readonly giveBack: (conn: Connection) => void,
  ) {}

  connection(): Connection {
    if (this.conn === null) throw new HttpError(400, 'The stream has already been closed', 'STREAM_CLOSED');
    return this.conn;
  }

  close(): void {
    const conn = this.conn;
    this.conn = null;
    if (conn) this.giveBack(conn);
  }

  resolveSql(source: SqlSource): string {
    if (source.sql !== undefined) return source.sql;
    const sql = this.sqls.get(source.sqlId!);
    if (sql === undefined) throw new HttpError(400, `SQL text with id ${source.sqlId} was not found`, 'SQL_NOT_FOUND');
    return sql;
  }
}
