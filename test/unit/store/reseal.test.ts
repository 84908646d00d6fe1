/**
 * Keys that can really rotate: every sealed column moves to the current key, a batch at a time and
 * resumably, after which the old key can go and every value still opens; `npm run reseal` says how
 * far it got.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSealer, type Sealer } from '../../../src/crypto/seal.ts';
import { type Db, sealContext } from '../../../src/store/db.ts';
import { resealBacklog, resealBatch } from '../../../src/store/reseal.ts';
import { startLocalDb } from './local-db.ts';

const OLD = { old1: 'AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=' };
const NEW = { new2: 'ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=' };
const root = fileURLToPath(new URL('../../..', import.meta.url));

let db: Db;
let url: string;
let stop: () => Promise<void>;
beforeAll(async () => ({ db, stop, url } = await startLocalDb()));
afterAll(() => stop());

/** A chat's rows in every sealed column, sealed with `sealer`. */
async function chatSealedWith(sealer: Sealer, chatId: string): Promise<void> {
  const chat = { channel: 'gap', chatId };
  const seal = (table: string, value: unknown) => sealer.seal(JSON.stringify(value), sealContext(table, chat));
  await db.batch([
    db.run(
      sql`insert into inbox (channel, chat_id, payload, received_at) values ('gap', ${chatId}, ${await seal('inbox', { text: 'سلام' })}, 1)`,
    ),
    db.run(
      sql`insert into outbox (channel, chat_id, body, created_at) values ('gap', ${chatId}, ${await seal('outbox', { text: 'منو' })}, 1)`,
    ),
    db.run(
      sql`insert into conversations (channel, chat_id, state) values ('gap', ${chatId}, ${await seal('conversations', { at: 'menu', seenAt: 1 })})`,
    ),
    db.run(sql`insert into identities (channel, chat_id, sealed, national_code_hash, created_at)
      values ('gap', ${chatId}, ${await seal('identities', { nationalCode: '0499370899', mobile: '09121234567' })}, 'h', 1)`),
  ]);
}

/** Every sealed value of the chat, opened with `sealer`. */
async function opened(sealer: Sealer, chatId: string): Promise<unknown[]> {
  const chat = { channel: 'gap', chatId };
  const rows = await db.all<{ table: string; sealed: string }>(sql`
    select 'inbox' as "table", payload as sealed from inbox where chat_id = ${chatId}
    union all select 'outbox', body from outbox where chat_id = ${chatId}
    union all select 'conversations', state from conversations where chat_id = ${chatId}
    union all select 'identities', sealed from identities where chat_id = ${chatId}`);
  return Promise.all(rows.map(async (row) => JSON.parse(await sealer.open(row.sealed, sealContext(row.table, chat)))));
}

describe('resealing', () => {
  it('moves every sealed column to the current key in bounded, resumable batches; then the old key can go', async () => {
    const old = await createSealer(OLD, 'old1');
    const chats = ['7001', '7002', '7003'];
    for (const chatId of chats) await chatSealedWith(old, chatId);
    const both = await createSealer({ ...OLD, ...NEW }, 'new2');
    expect(await resealBacklog({ db, sealer: both })).toBe(12);

    const first = await resealBatch({ db, sealer: both }, 2);
    expect(first.resealed).toBe(8); // two a table
    expect(await resealBacklog({ db, sealer: both })).toBe(4);
    const second = await resealBatch({ db, sealer: both }, 2, first.cursor);
    expect(second).toMatchObject({ resealed: 4, unopenable: 0, cursor: {} });
    expect(await resealBacklog({ db, sealer: both })).toBe(0);

    const onlyNew = await createSealer(NEW, 'new2');
    for (const chatId of chats) {
      expect(await opened(onlyNew, chatId)).toEqual([
        { text: 'سلام' },
        { text: 'منو' },
        { at: 'menu', seenAt: 1 },
        { nationalCode: '0499370899', mobile: '09121234567' },
      ]);
    }
  });

  it('counts and leaves a value no key opens, and goes on past it', async () => {
    await db.run(
      sql`insert into inbox (channel, chat_id, payload, received_at) values ('gap', '7100', 'gone.AAAA.AAAA', 1)`,
    );
    const both = await createSealer({ ...OLD, ...NEW }, 'new2');
    expect(await resealBatch({ db, sealer: both }, 10)).toMatchObject({ resealed: 0, unopenable: 1 });
  });

  it('npm run reseal reports its progress and what is left', async () => {
    const old = await createSealer(OLD, 'old1');
    await chatSealedWith(old, '7200');
    const env = { ...process.env, LIBSQL_URL: url, PII_KEYS: JSON.stringify({ ...OLD, ...NEW }), PII_KEY_ID: 'new2' };
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'ops/reseal.ts'], {
      cwd: root,
      env,
    });
    expect(stdout).toContain('5 sealed value(s) name another key than new2');
    expect(stdout).toContain('resealed 4 of 5, 1 no key opens');
    expect(stdout).toContain('done: 1 value(s) left that no key opens');
  });
});
