import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKeyedHash, type KeyedHash } from '../../../src/crypto/keyed-hash.ts';
import {
  batchCarryingAudit,
  flushAudit,
  formatAnchors,
  headsToAnchor,
  parseAnchors,
  verifyAuditChain,
} from '../../../src/store/audit.ts';
import { AuditChain, type AuditEntry, type AuditRow, hashRow } from '../../../src/store/audit-chain.ts';
import type { Db } from '../../../src/store/db.ts';
import { startLocalDb } from './local-db.ts';

let db: Db;
let stop: () => Promise<void>;
let mac: KeyedHash;
beforeAll(async () => {
  ({ db, stop } = await startLocalDb());
  mac = await createKeyedHash('an-audit-key-for-the-store-tests-000');
});
afterAll(() => stop());
beforeEach(() => db.batch([db.run(sql`delete from audit_log`), db.run(sql`delete from audit_anchor_marks`)]));

const entry = (n: number): AuditEntry => ({
  at: 1_700_000_000_000 + n,
  service: 'postcode',
  requestId: `req-${n}`,
  idempotencyKey: `pishkhan-${n}-0`,
  keyId: 'pishkhan-2026',
  created: 1_700_000_000 + n,
  nonce: `nonce-${n}`,
  requestDigest: 'sha-256=:AAAA:',
  responseDigest: 'sha-256=:BBBB:',
  status: 200,
  latencyMs: 12,
  subjectHash: 'h',
  subjectTail: '******3471',
});

/** A writer's chain with `n` rows appended (concurrently, as a busy isolate does) and written. */
async function written(n: number, first = 0): Promise<AuditChain> {
  const audit = new AuditChain(mac);
  await Promise.all(Array.from({ length: n }, (_, i) => audit.append(entry(first + i))));
  await flushAudit({ db, audit });
  return audit;
}

const seqOf = async (writer: string) =>
  (await db.all<{ seq: number }>(sql`select seq from audit_log where writer = ${writer} order by seq`)).map(
    (row) => row.seq,
  );

/** The scheduled run's anchoring, through its log line and back. */
const anchor = async () => parseAnchors(formatAnchors((await headsToAnchor({ db })).heads));

describe('the audit log', () => {
  it("numbers each writer's rows from 1, as chains that verify side by side", async () => {
    const [one, two] = await Promise.all([written(12), written(5, 100)]);
    expect(await seqOf(one.writer)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(await seqOf(two.writer)).toEqual([1, 2, 3, 4, 5]);
    expect(await verifyAuditChain({ db }, mac)).toEqual({ ok: true, rows: 17, writers: 2, anchors: 0 });
  });

  it('reads nothing to append: the rows wait in memory for a batch to carry them', async () => {
    const audit = new AuditChain(mac);
    await audit.append(entry(1));
    await audit.append(entry(2));
    expect(await seqOf(audit.writer)).toEqual([]);
    const [one] = await batchCarryingAudit({ db, audit }, [db.all<{ one: number }>(sql`select 1 as one`)]);
    expect(one).toEqual([{ one: 1 }]);
    expect(await seqOf(audit.writer)).toEqual([1, 2]);
    // Carried once: the next batch carries nothing more.
    await batchCarryingAudit({ db, audit }, [db.all(sql`select 1`)]);
    expect(await seqOf(audit.writer)).toEqual([1, 2]);
  });

  it('keeps the rows of a batch that failed for the next one, and writes a row sent twice once', async () => {
    const audit = new AuditChain(mac);
    await audit.append(entry(1));
    await expect(batchCarryingAudit({ db, audit }, [db.all(sql`select * from no_such_table`)])).rejects.toThrow();
    expect(await seqOf(audit.writer)).toEqual([]);
    await audit.append(entry(2));
    const rows = await audit.take();
    await flushAudit({ db, audit: Object.assign(new AuditChain(mac), { take: async () => rows }) });
    audit.restore(rows); // as after an ambiguous failure: the batch did land
    await flushAudit({ db, audit });
    expect(await seqOf(audit.writer)).toEqual([1, 2]);
    expect(await verifyAuditChain({ db }, mac)).toMatchObject({ ok: true, rows: 2 });
  });

  it('names the first row that was edited', async () => {
    const { writer } = await written(8);
    await db.run(sql`update audit_log set status = 500 where writer = ${writer} and seq = 5`);
    expect(await verifyAuditChain({ db }, mac)).toEqual({ ok: false, rows: 4, writer, seq: 5, reason: 'edited' });
    await db.run(sql`update audit_log set status = 200 where writer = ${writer} and seq = 5`);
    expect((await verifyAuditChain({ db }, mac)).ok).toBe(true);
  });

  it('notices a removed row, in the middle or at the start of a chain', async () => {
    const { writer } = await written(8);
    await db.run(sql`delete from audit_log where writer = ${writer} and seq = 7`);
    expect(await verifyAuditChain({ db }, mac)).toEqual({ ok: false, rows: 6, writer, seq: 8, reason: 'gap' });
    await db.run(sql`delete from audit_log where writer = ${writer} and seq = 1`);
    expect(await verifyAuditChain({ db }, mac)).toEqual({ ok: false, rows: 0, writer, seq: 2, reason: 'gap' });
  });

  it('notices a chain rewritten with every later hash recomputed, when the rewriter has no AUDIT_KEY', async () => {
    const { writer } = await written(4);
    const rows = await db.all<AuditRow>(sql`select writer, seq, at, service, request_id as requestId,
      idempotency_key as idempotencyKey, key_id as keyId, created, nonce, request_digest as requestDigest,
      response_digest as responseDigest, status, latency_ms as latencyMs, subject_hash as subjectHash,
      subject_tail as subjectTail, prev_hash as prevHash, row_hash as rowHash
      from audit_log where writer = ${writer} order by seq`);
    // Row 2 changed, and it and every row after it relinked under a key of the rewriter's own, as a
    // writer of the table could.
    const rewriter = await createKeyedHash('a key of the rewriter, not AUDIT_KEY');
    let previous = rows[0]?.rowHash ?? '';
    for (const row of rows.slice(1)) {
      const status = row.seq === 2 ? 500 : row.status;
      const forged = await hashRow(rewriter, { ...row, status, prevHash: previous });
      await db.run(sql`update audit_log set status = ${status}, prev_hash = ${previous}, row_hash = ${forged}
        where writer = ${writer} and seq = ${row.seq}`);
      previous = forged;
    }
    expect(await verifyAuditChain({ db }, mac)).toEqual({ ok: false, rows: 1, writer, seq: 2, reason: 'edited' });
  });

  it('anchors the heads written since the last anchoring, and only those', async () => {
    const one = await written(3);
    expect(await anchor()).toEqual([expect.objectContaining({ writer: one.writer, seq: 3 })]);
    expect(await anchor()).toEqual([]);
    await one.append(entry(50));
    await flushAudit({ db, audit: one });
    const two = await written(2, 60);
    const heads = await anchor();
    expect(heads.map((head) => [head.writer, head.seq])).toEqual(
      [
        [one.writer, 4],
        [two.writer, 2],
      ].sort(([a], [b]) => String(a).localeCompare(String(b))),
    );
  });

  it('notices, against the anchors, a tail cut before an anchored head and a whole chain removed', async () => {
    const one = await written(5);
    const two = await written(3, 100);
    const anchors = await anchor();
    expect(await verifyAuditChain({ db }, mac, anchors)).toEqual({ ok: true, rows: 8, writers: 2, anchors: 2 });

    await db.run(sql`delete from audit_log where writer = ${one.writer} and seq >= 4`);
    // Without the anchors the shortened chain still reads whole: only they show the cut.
    expect((await verifyAuditChain({ db }, mac)).ok).toBe(true);
    expect(await verifyAuditChain({ db }, mac, anchors)).toMatchObject({
      ok: false,
      writer: one.writer,
      seq: 5,
      reason: 'cut',
    });

    await db.run(sql`delete from audit_log where writer = ${one.writer}`);
    await db.run(sql`delete from audit_log where writer = ${two.writer}`);
    expect(await verifyAuditChain({ db }, mac)).toEqual({ ok: true, rows: 0, writers: 0, anchors: 0 });
    expect(await verifyAuditChain({ db }, mac, anchors)).toMatchObject({ ok: false, reason: 'cut' });
  });
});
