/**
 * The audit log of upstream attempts (docs/upstream.md, "The audit log"): the rows a writer's chain
 * (audit-chain.ts) linked ride, unconditionally, in the writer's next batch (`batchCarryingAudit`),
 * so an attempt is logged even when the step that made it does not commit. Checked by walking
 * every writer's chain.
 */
import { and, asc, eq, gt, or } from 'drizzle-orm';
import type { BatchItem, BatchResponse } from 'drizzle-orm/batch';
import { type AuditRow, GENESIS, hashRow } from './audit-chain.ts';
import type { Db, Store } from './db.ts';
import { auditLog } from './schema.ts';

const PAGE = 1_000;

/** Rows per INSERT: SQLite bounds the parameters of one statement. */
const ROWS_PER_INSERT = 50;

/** The statements that write rows a batch carries: a row written before (an ambiguous failure) is skipped. */
function auditInserts(db: Db, rows: readonly AuditRow[]) {
  const inserts = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    inserts.push(
      db
        .insert(auditLog)
        .values(rows.slice(i, i + ROWS_PER_INSERT))
        .onConflictDoNothing(),
    );
  }
  return inserts;
}

type Items = readonly [BatchItem<'sqlite'>, ...BatchItem<'sqlite'>[]];

/**
 * Runs `statements` as one batch, with the audit rows waiting in the store's chain after them.
 * @returns the results of `statements`, in order
 */
export async function batchCarryingAudit<T extends Items>(
  { db, audit }: Pick<Store, 'db' | 'audit'>,
  statements: T,
): Promise<BatchResponse<T>> {
  const rows = await audit.take();
  if (rows.length === 0) return db.batch(statements);
  try {
    const results = await db.batch([...statements, ...auditInserts(db, rows)]);
    return results.slice(0, statements.length) as BatchResponse<T>;
  } catch (error) {
    audit.restore(rows);
    throw error;
  }
}

/** Writes the rows waiting, when no other batch is coming to carry them (the end of a sweep, a stop). */
export async function flushAudit({ db, audit }: Pick<Store, 'db' | 'audit'>): Promise<void> {
  const rows = await audit.take();
  const [first, ...more] = auditInserts(db, rows);
  if (!first) return;
  try {
    await db.batch([first, ...more]);
  } catch (error) {
    audit.restore(rows);
    throw error;
  }
}

export type ChainCheck =
  | { ok: true; rows: number; writers: number }
  /** The first row of `writer`'s chain that does not follow from the one before it. */
  | { ok: false; rows: number; writer: string; seq: number; reason: 'edited' | 'broken-link' | 'gap' };

/** Walks every writer's chain in order and names the first row that breaks one. */
export async function verifyAuditChain({ db }: Pick<Store, 'db'>): Promise<ChainCheck> {
  let previous = { writer: '', seq: 0, rowHash: GENESIS };
  let rows = 0;
  let writers = 0;
  for (;;) {
    const page = await db
      .select()
      .from(auditLog)
      .where(
        or(
          gt(auditLog.writer, previous.writer),
          and(eq(auditLog.writer, previous.writer), gt(auditLog.seq, previous.seq)),
        ),
      )
      .orderBy(asc(auditLog.writer), asc(auditLog.seq))
      .limit(PAGE);
    for (const row of page) {
      if (row.writer !== previous.writer) {
        previous = { writer: row.writer, seq: 0, rowHash: GENESIS };
        writers += 1;
      }
      const broken = (reason: 'edited' | 'broken-link' | 'gap') =>
        ({ ok: false, rows, writer: row.writer, seq: row.seq, reason }) as const;
      if (row.seq !== previous.seq + 1) return broken('gap');
      if (row.prevHash !== previous.rowHash) return broken('broken-link');
      const { rowHash, ...fields } = row;
      if ((await hashRow(fields)) !== rowHash) return broken('edited');
      previous = row;
      rows += 1;
    }
    if (page.length < PAGE) return { ok: true, rows, writers };
  }
}
