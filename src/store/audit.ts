/**
 * The audit log of upstream attempts (docs/upstream.md, "The audit log"): the rows a writer's chain
 * (audit-chain.ts) linked ride, unconditionally, in the writer's next batch (`batchCarryingAudit`),
 * so an attempt is logged even when the step that made it does not commit. Checked by walking
 * every writer's chain.
 */
import { and, asc, eq, gt, or, sql } from 'drizzle-orm';
import type { BatchItem, BatchResponse } from 'drizzle-orm/batch';
import type { KeyedHash } from '../crypto/keyed-hash.ts';
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

/** A chain's head as the scheduled run anchored it outside the database (its `audit-anchor` log line). */
export interface Anchor {
  writer: string;
  seq: number;
  rowHash: string;
}

export type ChainCheck =
  | { ok: true; rows: number; writers: number; anchors: number }
  /**
   * The first row of `writer`'s chain that does not follow from the one before it (edited, a link
   * broken, a row missing); or an anchored head the chain no longer reaches (`cut`: rows from there
   * on, or the whole chain, were removed) or no longer matches (`rewritten`).
   */
  | { ok: false; rows: number; writer: string; seq: number; reason: ChainBreak };

export type ChainBreak = 'edited' | 'broken-link' | 'gap' | 'cut' | 'rewritten';

/**
 * Walks every writer's chain in order, checking each row's MAC (keyed with AUDIT_KEY) and link,
 * then that every anchored head is still there, unchanged; names the first thing that breaks.
 */
export async function verifyAuditChain(
  { db }: Pick<Store, 'db'>,
  mac: KeyedHash,
  anchors: readonly Anchor[] = [],
): Promise<ChainCheck> {
  const anchored = new Map(anchors.map((anchor) => [`${anchor.writer}:${anchor.seq}`, anchor]));
  const reached = new Map<string, string>();
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
      const broken = (reason: ChainBreak) => ({ ok: false, rows, writer: row.writer, seq: row.seq, reason }) as const;
      if (row.seq !== previous.seq + 1) return broken('gap');
      if (row.prevHash !== previous.rowHash) return broken('broken-link');
      const { rowHash, ...fields } = row;
      if ((await hashRow(mac, fields)) !== rowHash) return broken('edited');
      const key = `${row.writer}:${row.seq}`;
      if (anchored.has(key)) reached.set(key, rowHash);
      previous = row;
      rows += 1;
    }
    if (page.length < PAGE) break;
  }
  for (const [key, anchor] of anchored) {
    const found = reached.get(key);
    if (found !== anchor.rowHash) {
      return {
        ok: false,
        rows,
        writer: anchor.writer,
        seq: anchor.seq,
        reason: found === undefined ? 'cut' : 'rewritten',
      };
    }
  }
  return { ok: true, rows, writers, anchors: anchored.size };
}

/** What an anchoring covered: the heads to anchor, and the audit rows written since the last one. */
export interface Anchoring {
  heads: Anchor[];
  /** Those rows' rowids: after `after`, up to `upTo` (so the next anchoring's `after` is this `upTo`). */
  rowids: { after: number; upTo: number };
}

/**
 * The heads of every chain written since the last anchoring, for the scheduled run to anchor
 * outside the database (in its log line); and the mark of how far this anchoring got, in the same
 * batch. Rows appended after the last anchor can be cut without a trace: the anchor is what a
 * verification holds them against.
 */
export async function headsToAnchor({ db }: Pick<Store, 'db'>): Promise<Anchoring> {
  const [previous, heads, mark] = await db.batch([
    db.all<{ last_rowid: number }>(
      sql`select coalesce((select last_rowid from audit_anchor_marks where id = 1), 0) as last_rowid`,
    ),
    db.all<{ writer: string; seq: number; row_hash: string }>(sql`select a.writer, a.seq, a.row_hash
      from audit_log a join (
        select writer, max(seq) as seq from audit_log
        where rowid > coalesce((select last_rowid from audit_anchor_marks where id = 1), 0)
        group by writer
      ) h on a.writer = h.writer and a.seq = h.seq
      order by a.writer`),
    db.all<{ last_rowid: number }>(sql`insert into audit_anchor_marks (id, last_rowid)
      select 1, coalesce(max(rowid), 0) from audit_log where true
      on conflict (id) do update set last_rowid = excluded.last_rowid
      returning last_rowid`),
  ]);
  return {
    heads: heads.map((head) => ({ writer: head.writer, seq: head.seq, rowHash: head.row_hash })),
    rowids: { after: previous[0]?.last_rowid ?? 0, upTo: mark[0]?.last_rowid ?? 0 },
  };
}

/** Anchors as the log line writes them: `writer:seq:hash`, space-separated. */
export function formatAnchors(anchors: readonly Anchor[]): string {
  return anchors.map((anchor) => `${anchor.writer}:${anchor.seq}:${anchor.rowHash}`).join(' ');
}

export function parseAnchors(text: string): Anchor[] {
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => {
      const [writer = '', seq = '', rowHash = ''] = part.split(':');
      return { writer, seq: Number(seq), rowHash };
    })
    .filter((anchor) => anchor.writer && Number.isInteger(anchor.seq) && anchor.seq > 0 && anchor.rowHash);
}
