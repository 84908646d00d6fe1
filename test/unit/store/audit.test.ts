import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { batchCarryingAudit, flushAudit, verifyAuditChain } from '../../../src/store/audit.ts';
import { AuditChain, type AuditEntry } from '../../../src/store/audit-chain.ts';
import type { Db } from '../../../src/store/db.ts';
import { startLocalDb } from './local-db.ts';

let db: Db;
let stop: () => Promise<void>;
beforeAll(async () => ({ db, stop } = await startLocalDb()));
afterAll(() => stop());
beforeEach(() => db.run(sql`delete from audit_log`));

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
  const audit = new AuditChain();
  await Promise.all(Array.from({ length: n }, (_, i) => audit.append(entry(first + i))));
  await flushAudit({ db, audit });
  return audit;
}

const seqOf = async (writer: string) =>
  (await db.all<{ seq: number }>(sql`select seq from audit_log where writer = ${writer} order by seq`)).map(
    (row) => row.seq,
  );

describe('the audit log', () => {
  it("numbers each writer's rows from 1, as chains that verify side by side", async () => {
    const [one, two] = await Promise.all([written(12), written(5, 100)]);
    expect(await seqOf(one.writer)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(await seqOf(two.writer)).toEqual([1, 2, 3, 4, 5]);
    expect(await verifyAuditChain({ db })).toEqual({ ok: true, rows: 17, writers: 2 });
  });

  it('reads nothing to append: the rows wait in memory for a batch to carry them', async () => {
    const audit = new AuditChain();
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
    const audit = new AuditChain();
    await audit.append(entry(1));
    await expect(batchCarryingAudit({ db, audit }, [db.all(sql`select * from no_such_table`)])).rejects.toThrow();
    expect(await seqOf(audit.writer)).toEqual([]);
    await audit.append(entry(2));
    const rows = await audit.take();
    await flushAudit({ db, audit: Object.assign(new AuditChain(), { take: async () => rows }) });
    audit.restore(rows); // as after an ambiguous failure: the batch did land
    await flushAudit({ db, audit });
    expect(await seqOf(audit.writer)).toEqual([1, 2]);
    expect(await verifyAuditChain({ db })).toMatchObject({ ok: true, rows: 2 });
  });

  it('names the first row that was edited', async () => {
    const { writer } = await written(8);
    await db.run(sql`update audit_log set status = 500 where writer = ${writer} and seq = 5`);
    expect(await verifyAuditChain({ db })).toEqual({ ok: false, rows: 4, writer, seq: 5, reason: 'edited' });
    await db.run(sql`update audit_log set status = 200 where writer = ${writer} and seq = 5`);
    expect((await verifyAuditChain({ db })).ok).toBe(true);
  });

  it('notices a removed row, in the middle or at the start of a chain', async () => {
    const { writer } = await written(8);
    await db.run(sql`delete from audit_log where writer = ${writer} and seq = 7`);
    expect(await verifyAuditChain({ db })).toEqual({ ok: false, rows: 6, writer, seq: 8, reason: 'gap' });
    await db.run(sql`delete from audit_log where writer = ${writer} and seq = 1`);
    expect(await verifyAuditChain({ db })).toEqual({ ok: false, rows: 0, writer, seq: 2, reason: 'gap' });
  });

  it('notices a row rewritten with a recomputed hash, by the broken link to the next', async () => {
    const { writer } = await written(3);
    // An editor who recomputes row 2's hash still cannot make row 3's prev_hash point at it.
    await db.run(sql`update audit_log set row_hash = 'forged' where writer = ${writer} and seq = 2`);
    const check = await verifyAuditChain({ db });
    expect(check).toMatchObject({ ok: false, writer });
    expect(check.ok === false && check.seq).toBe(2);
  });
});
