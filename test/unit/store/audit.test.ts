import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AuditEntry, appendAudit, verifyAuditChain } from '../../../src/store/audit.ts';
import type { Db } from '../../../src/store/db.ts';
import { startLocalDb } from './local-db.ts';

let db: Db;
let stop: () => Promise<void>;
beforeAll(async () => ({ db, stop } = await startLocalDb()));
afterAll(() => stop());

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

describe('the audit log', () => {
  it('appends rows in sequence, concurrently too, as one unbroken chain', async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => appendAudit({ db }, entry(i))));
    const check = await verifyAuditChain({ db });
    expect(check).toEqual({ ok: true, rows: 12 });
  });

  it('names the first row that was edited', async () => {
    await db.run(sql`update audit_log set status = 500 where seq = 5`);
    expect(await verifyAuditChain({ db })).toEqual({ ok: false, rows: 4, seq: 5, reason: 'edited' });
    await db.run(sql`update audit_log set status = 200 where seq = 5`);
    expect((await verifyAuditChain({ db })).ok).toBe(true);
  });

  it('notices a removed row, in the middle or at the start', async () => {
    await db.run(sql`delete from audit_log where seq = 7`);
    expect(await verifyAuditChain({ db })).toEqual({ ok: false, rows: 6, seq: 8, reason: 'gap' });
    await db.run(sql`delete from audit_log where seq = 1`);
    expect(await verifyAuditChain({ db })).toEqual({ ok: false, rows: 0, seq: 2, reason: 'gap' });
  });

  it('notices a row rewritten with a recomputed hash, by the broken link to the next', async () => {
    await db.run(sql`delete from audit_log`);
    for (let i = 0; i < 3; i++) await appendAudit({ db }, entry(i));
    // An editor who recomputes row 2's hash still cannot make row 3's prev_hash point at it.
    await db.run(sql`update audit_log set row_hash = 'forged' where seq = 2`);
    const check = await verifyAuditChain({ db });
    expect(check.ok).toBe(false);
    expect(check.ok === false && check.seq).toBe(2);
  });
});
