/**
 * Data that does not live forever: the scheduled run empties a quiet chat's state after a day,
 * forgets a chat quiet for 180 days with its bound identity, and drops audit chains a year and a
 * month after their last row, whole; what is younger stays.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/store/db.ts';
import {
  AUDIT_RETENTION_MS,
  CHAT_RETENTION_MS,
  purgeExpired,
  STATE_RETENTION_MS,
} from '../../../src/store/maintenance.ts';
import { startLocalDb } from './local-db.ts';

let db: Db;
let stop: () => Promise<void>;
beforeAll(async () => ({ db, stop } = await startLocalDb()));
afterAll(() => stop());

const NOW = Date.UTC(2027, 0, 1);
const DAY = 24 * 60 * 60_000;

async function chat(chatId: string, quietFor: number, bound: boolean) {
  await db.run(sql`insert into conversations (channel, chat_id, state, updated_at)
    values ('gap', ${chatId}, 'k.sealed.state', ${NOW - quietFor})`);
  if (bound) {
    await db.run(sql`insert into identities (channel, chat_id, sealed, national_code_hash, created_at)
      values ('gap', ${chatId}, 'k.sealed.identity', 'h', ${NOW - quietFor - DAY})`);
  }
}

async function auditRow(writer: string, seq: number, at: number) {
  await db.run(sql`insert into audit_log (writer, seq, at, service, request_id, idempotency_key, key_id, created,
    nonce, request_digest, latency_ms, prev_hash, row_hash)
    values (${writer}, ${seq}, ${at}, 'postcode', 'r', 'k', 'key', 1, 'n', 'd', 1, 'p', 'h')`);
}

const rows = async (query: ReturnType<typeof sql>) => (await db.all<Record<string, unknown>>(query)).length;

describe('retention', () => {
  it('empties, forgets and drops exactly what is past its period', async () => {
    await chat('1', STATE_RETENTION_MS - DAY / 2, true); // spoke half a day ago: untouched
    await chat('2', STATE_RETENTION_MS + DAY, true); // quiet two days: its state goes, its identity stays
    await chat('3', CHAT_RETENTION_MS + DAY, true); // quiet 181 days: forgotten
    await auditRow('old-writer', 1, NOW - AUDIT_RETENTION_MS - 2 * DAY);
    await auditRow('old-writer', 2, NOW - AUDIT_RETENTION_MS - DAY);
    await auditRow('mixed-writer', 1, NOW - AUDIT_RETENTION_MS - DAY);
    await auditRow('mixed-writer', 2, NOW - DAY); // its chain's last row is recent: the chain stays whole

    const purged = await purgeExpired({ db } as Parameters<typeof purgeExpired>[0], NOW);
    // Chat 3's state is emptied too, on its way out: chats counts its conversation and its identity.
    expect(purged).toMatchObject({ states: 2, chats: 2, auditRows: 2 });
    expect(await db.all(sql`select chat_id, state is not null as kept from conversations order by chat_id`)).toEqual([
      { chat_id: '1', kept: 1 },
      { chat_id: '2', kept: 0 },
    ]);
    expect(await rows(sql`select chat_id from identities where chat_id in ('1', '2')`)).toBe(2);
    expect(await rows(sql`select chat_id from identities where chat_id = '3'`)).toBe(0);
    expect(await rows(sql`select seq from audit_log where writer = 'mixed-writer'`)).toBe(2);
    expect(await rows(sql`select seq from audit_log where writer = 'old-writer'`)).toBe(0);
  });

  it('keeps the identity of a chat quiet for 180 days while it has a live subscription, and drops ended ones', async () => {
    const subscription = (chatId: string, id: string, expiresAt: number) =>
      db.run(sql`insert into subscriptions (id, channel, chat_id, national_code_hash, service, answers, answers_hash,
          next_check_at, expires_at, created_at)
        values (${id}, 'gap', ${chatId}, 'h', 'traffic-fines', 'k.sealed.answers', ${id}, ${NOW}, ${expiresAt}, ${NOW - 90 * DAY})`);
    await chat('11', CHAT_RETENTION_MS + DAY, true); // quiet 181 days, but told of new fines: kept
    await subscription('11', 'live', NOW + DAY);
    await chat('12', CHAT_RETENTION_MS + DAY, true); // quiet 181 days, its subscription ended: forgotten
    await subscription('12', 'ended', NOW - DAY);
    await db.run(sql`insert into identities (channel, chat_id, sealed, national_code_hash, created_at)
      values ('gap', '13', 'k.sealed.identity', 'other', ${NOW})`);
    await subscription('13', 'rebound', NOW + DAY); // the chat bound another national code since: goes

    const purged = await purgeExpired({ db } as Parameters<typeof purgeExpired>[0], NOW);
    expect(purged.subscriptions).toBe(2);
    expect(await rows(sql`select chat_id from identities where chat_id = '11'`)).toBe(1);
    expect(await rows(sql`select chat_id from identities where chat_id = '12'`)).toBe(0);
    expect(await db.all(sql`select id from subscriptions`)).toEqual([{ id: 'live' }]);
  });
});
