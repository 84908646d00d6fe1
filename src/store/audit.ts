/**
 * The audit log of upstream attempts (gsb-channel.md §4): appended as a hash chain, and checked
 * by walking it. Each row's hash covers its fields and the previous row's hash; the first row's
 * previous hash is GENESIS.
 */
import { asc, desc, gt } from 'drizzle-orm';
import { toBase64Url } from '../crypto/base64.ts';
import type { Store } from './db.ts';
import { auditLog } from './schema.ts';

export type AuditRow = typeof auditLog.$inferSelect;
export type AuditEntry = Omit<AuditRow, 'seq' | 'prevHash' | 'rowHash'>;

export const GENESIS = 'genesis';
/** Concurrent appends race for the next `seq`; a loser waits a random moment, reads the new end and tries again. */
const APPEND_TRIES = 40;
const APPEND_JITTER_MS = 10;
const PAGE = 1_000;

/** Appends one row after the current last one. @returns its sequence number */
export async function appendAudit({ db }: Pick<Store, 'db'>, entry: AuditEntry): Promise<number> {
  for (let attempt = 0; attempt < APPEND_TRIES; attempt++) {
    const [last] = await db
      .select({ seq: auditLog.seq, rowHash: auditLog.rowHash })
      .from(auditLog)
      .orderBy(desc(auditLog.seq))
      .limit(1);
    const seq = (last?.seq ?? 0) + 1;
    const prevHash = last?.rowHash ?? GENESIS;
    const rowHash = await hashRow({ ...entry, seq, prevHash });
    const inserted = await db
      .insert(auditLog)
      .values({ ...entry, seq, prevHash, rowHash })
      .onConflictDoNothing()
      .returning({ seq: auditLog.seq });
    if (inserted.length === 1) return seq;
    await new Promise((resolve) => setTimeout(resolve, Math.random() * APPEND_JITTER_MS));
  }
  throw new Error(`the audit log stayed contended for ${APPEND_TRIES} tries`);
}

export type ChainCheck =
  | { ok: true; rows: number }
  /** `seq` is the first row that does not follow from the one before it (edited, or a row before it removed). */
  | { ok: false; rows: number; seq: number; reason: 'edited' | 'broken-link' | 'gap' };

/** Walks the whole chain in order and names the first row that breaks it. */
export async function verifyAuditChain({ db }: Pick<Store, 'db'>): Promise<ChainCheck> {
  let previous: { seq: number; rowHash: string } = { seq: 0, rowHash: GENESIS };
  let rows = 0;
  for (;;) {
    const page = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, previous.seq))
      .orderBy(asc(auditLog.seq))
      .limit(PAGE);
    for (const row of page) {
      if (row.seq !== previous.seq + 1) return { ok: false, rows, seq: row.seq, reason: 'gap' };
      if (row.prevHash !== previous.rowHash) return { ok: false, rows, seq: row.seq, reason: 'broken-link' };
      const { rowHash, ...fields } = row;
      if ((await hashRow(fields)) !== rowHash) return { ok: false, rows, seq: row.seq, reason: 'edited' };
      previous = row;
      rows += 1;
    }
    if (page.length < PAGE) return { ok: true, rows };
  }
}

/** SHA-256 over the row's fields in a fixed order, so the hash does not depend on key order. */
async function hashRow(row: Omit<AuditRow, 'rowHash'>): Promise<string> {
  const fields = [
    row.seq,
    row.at,
    row.service,
    row.requestId,
    row.idempotencyKey,
    row.keyId,
    row.created,
    row.nonce,
    row.requestDigest,
    row.responseDigest,
    row.status,
    row.latencyMs,
    row.subjectHash,
    row.subjectTail,
    row.prevHash,
  ];
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(fields)));
  return toBase64Url(new Uint8Array(digest));
}
