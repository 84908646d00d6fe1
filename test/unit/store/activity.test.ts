import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createKeyedHash } from '../../../src/crypto/keyed-hash.ts';
import { activityFields, recentActivity } from '../../../src/store/activity.ts';
import { flushAudit, headsToAnchor } from '../../../src/store/audit.ts';
import { AuditChain, type AuditEntry } from '../../../src/store/audit-chain.ts';
import type { Db } from '../../../src/store/db.ts';
import { startLocalDb } from './local-db.ts';

let db: Db;
let stop: () => Promise<void>;
let audit: AuditChain;
beforeAll(async () => {
  ({ db, stop } = await startLocalDb());
  audit = new AuditChain(await createKeyedHash('an-audit-key-for-the-store-tests-000'));
});
afterAll(() => stop());
beforeEach(() =>
  db.batch([
    db.run(sql`delete from inbox`),
    db.run(sql`delete from audit_log`),
    db.run(sql`delete from audit_anchor_marks`),
  ]),
);

const NOW = 1_800_000_000_000;
const WINDOW = { from: NOW - 60_000, to: NOW };

async function stored(channel: string, status: string, receivedAt: number) {
  await db.run(sql`insert into inbox (channel, chat_id, payload, received_at, status)
    values (${channel}, ${String(receivedAt)}, 'sealed', ${receivedAt}, ${status})`);
}

let attempt = 0;
/** One attempt of the logical call `key`, as the signed client records it. */
async function attempted(service: string, key: string, status: number | null, latencyMs: number) {
  attempt += 1;
  const entry: AuditEntry = {
    at: NOW - 1_000,
    service,
    requestId: `req-${attempt}`,
    idempotencyKey: key,
    keyId: 'pishkhan-2026',
    created: Math.floor(NOW / 1000),
    nonce: `nonce-${attempt}`,
    requestDigest: 'sha-256=:AAAA:',
    responseDigest: status === null ? null : 'sha-256=:BBBB:',
    status,
    latencyMs,
    subjectHash: null,
    subjectTail: null,
  };
  await audit.append(entry);
  await flushAudit({ db, audit });
}

describe("the scheduled run's activity, derived from stored rows", () => {
  it("counts the window's updates by messenger and status: its start included, its end not", async () => {
    await stored('gap', 'done', NOW - 60_000);
    await stored('gap', 'done', NOW - 30_000);
    await stored('gap', 'pending', NOW - 10_000);
    await stored('bale', 'dead', NOW - 5_000);
    await stored('gap', 'done', NOW - 60_001);
    await stored('bale', 'done', NOW);
    const activity = await recentActivity({ db }, WINDOW, null);
    expect(activityFields(activity)).toEqual({
      updates: 'bale:dead=1 gap:done=2 gap:pending=1',
      calls: '',
      upstreamMs: '',
    });
  });

  it('counts each call once, by the outcome of its last attempt, over the rows one anchoring covered', async () => {
    await attempted('postcode', 'pishkhan-a-0', 503, 30);
    await attempted('postcode', 'pishkhan-a-0', 200, 100);
    await attempted('postcode', 'pishkhan-b-0', 404, 40);
    await attempted('bill', 'pishkhan-c-0', null, 8_000);
    await attempted('bill', 'pishkhan-d-0', 400, 20);
    const first = await headsToAnchor({ db });
    expect(activityFields(await recentActivity({ db }, WINDOW, first.rowids))).toEqual({
      updates: '',
      calls: 'bill:rejected=1 bill:unavailable=1 postcode:not-found=1 postcode:ok=1',
      // Mean/longest of the last attempts: postcode (100 + 40) / 2, bill (8000 + 20) / 2.
      upstreamMs: 'bill=4010/8000 postcode=70/100',
    });

    // The next run counts only what was written after this one's anchoring.
    await attempted('postcode', 'pishkhan-e-0', 200, 60);
    const second = await headsToAnchor({ db });
    expect(second.rowids.after).toBe(first.rowids.upTo);
    expect(activityFields(await recentActivity({ db }, WINDOW, second.rowids))).toMatchObject({
      calls: 'postcode:ok=1',
      upstreamMs: 'postcode=60/60',
    });
  });
});
