/**
 * Identity binding through the real webhooks (Gap with its one-time code, Bale with its own-contact
 * card), «حذف اطلاعات من», the national code's attempt limit in the store, and the personal-data
 * scan of every stored column and every log line.
 */
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_BINDING_ATTEMPTS } from '../../src/conversation/binding.ts';
import { depsFor } from '../../src/deps.ts';
import { fa } from '../../src/i18n/fa.ts';
import { faIdentity } from '../../src/i18n/fa-identity.ts';
import { faServices } from '../../src/i18n/fa-services.ts';
import {
  CODE_LIMITS,
  chatLimitKey,
  claimNationalCodeCheck,
  MAX_NATIONAL_CODE_CHECKS,
  recordAttempt,
} from '../../src/store/limits.ts';
import { codeSentTo, newMobile, shareContact } from './binding.ts';
import * as botApi from './bot-api.ts';
import { converse, newChatId, type SentMessage, waitForMessages } from './gap.ts';

const CHAT_TABLES = ['identities', 'conversations', 'inbox', 'outbox'] as const;

/**
 * Binds on Gap from the greeting to Shahkar's answer; returns the chat's messages once there are
 * `expected` (6 on a match: the binding, then the military status; 5 on a mismatch).
 */
async function bindOnGap(chatId: string, mobile: string, nationalCode: string, expected = 6): Promise<SentMessage[]> {
  await converse(chatId, 'سلام', 0);
  const notice = await converse(chatId, faServices.military.title, 1);
  expect(notice.data).toBe(`${faIdentity.notice}\n\n${faIdentity.askContact}`);
  expect(notice.reply_keyboard?.keyboard.flat()).toContainEqual({ $contact: faIdentity.shareButton });
  expect((await shareContact(chatId, mobile)).status).toBe(200);
  expect((await waitForMessages(chatId, 3))[2]?.data).toBe(faIdentity.askCode);
  const asked = await converse(chatId, await codeSentTo(mobile), 3);
  expect(asked.data).toBe(`${faIdentity.phoneConfirmed}\n\n${faIdentity.askNationalCode}`);
  await converse(chatId, nationalCode, 4);
  return waitForMessages(chatId, expected);
}

/** The chat's rows in each table that keys them by chat, and its binding attempts (kept under a keyed hash). */
async function rowsOfChat(channel: string, chatId: string): Promise<Record<string, number>> {
  const { store, hash } = await depsFor(env);
  const counts: Record<string, number> = {};
  for (const table of CHAT_TABLES) {
    const [row] = await store.db.all<{ n: number }>(
      sql`select count(*) as n from ${sql.identifier(table)} where channel = ${channel} and chat_id = ${chatId}`,
    );
    counts[table] = row?.n ?? -1;
  }
  const key = await chatLimitKey(hash, { channel, chatId });
  const [attempts] = await store.db.all<{ n: number }>(
    sql`select count(*) as n from binding_attempts where chat_hash = ${key}`,
  );
  counts.binding_attempts = attempts?.n ?? -1;
  return counts;
}

describe('binding an identity on Gap', () => {
  it('binds with the code sent to the number’s Gap chat and a matching national code, then never asks again', async () => {
    const chatId = newChatId();
    const messages = await bindOnGap(chatId, newMobile(), '5260181591');
    expect(messages[4]?.data).toBe(faIdentity.bound);
    expect(messages[5]?.data).toContain(faServices.military.heading);
    const again = await converse(chatId, faServices.military.title, 6);
    expect(again.data).toContain(faServices.military.heading);
    expect(await rowsOfChat('gap', chatId)).toMatchObject({ identities: 1, binding_attempts: 1 });
  });

  it('stores nothing on a Shahkar mismatch', async () => {
    const chatId = newChatId();
    const messages = await bindOnGap(chatId, newMobile(), '0684159414', 5);
    expect(messages[4]?.data).toContain(faIdentity.mismatch);
    expect(await rowsOfChat('gap', chatId)).toMatchObject({ identities: 0 });
  });

  it('shows the identity masked in «حساب من», and «حذف اطلاعات من» deletes every row of the chat but the pseudonymous ones', async () => {
    const chatId = newChatId();
    const mobile = newMobile();
    await bindOnGap(chatId, mobile, '0830166130');
    const account = await converse(chatId, faIdentity.accountButton, 6);
    expect(account.data).toContain('******6130');
    expect(account.data).toContain(`${mobile.slice(0, 4)}***${mobile.slice(-4)}`);
    await converse(chatId, faIdentity.eraseButton, 7);
    const { store } = await depsFor(env);
    const [audit] = await store.db.all<{ n: number }>(sql`select count(*) as n from audit_log`);
    const erased = await converse(chatId, faIdentity.eraseYes, 8);
    expect(erased.data).toContain(faIdentity.erased);
    // The attempt stays, under a keyed hash, until its window ends: erasing cannot reset the limit.
    expect(await rowsOfChat('gap', chatId)).toEqual({
      ...Object.fromEntries(CHAT_TABLES.map((table) => [table, 0])),
      binding_attempts: 1,
    });
    const [kept] = await store.db.all<{ n: number }>(sql`select count(*) as n from audit_log`);
    expect(kept?.n).toBeGreaterThanOrEqual(audit?.n ?? Number.POSITIVE_INFINITY);
    // A new conversation, bound no longer: greeted, and the personal service binds again.
    const anew = await converse(chatId, faServices.military.title, 9);
    expect(anew.data).toBe(`${fa.greeting}\n\n${faIdentity.notice}\n\n${faIdentity.askContact}`);
  });
});

describe('binding an identity on Bale', () => {
  it('binds with the citizen’s own contact card (the request_contact button) and a matching national code', async () => {
    const chatId = botApi.newChatId();
    await botApi.converse('bale', chatId, 'سلام', 0);
    const notice = await botApi.converse('bale', chatId, faServices.military.title, 1);
    expect(notice.reply_markup?.keyboard?.flat()).toContainEqual({
      text: faIdentity.shareButton,
      request_contact: true,
    });
    await botApi.postUpdate('bale', botApi.fixtures.contact(chatId, '+989121234567'));
    const [, , asked] = await botApi.waitForMessages('bale', chatId, 3);
    expect(asked?.text).toBe(`${faIdentity.phoneConfirmed}\n\n${faIdentity.askNationalCode}`);
    await botApi.postUpdate('bale', botApi.fixtures.text(chatId, '۱۸۶۰۹۱۳۹۰۳'));
    const messages = await botApi.waitForMessages('bale', chatId, 5);
    expect(messages[3]?.text).toBe(faIdentity.bound);
    expect(messages[4]?.text).toContain(faServices.military.heading);
  });
});

describe('the national code’s attempt limit', () => {
  it(`lets a national code be checked ${MAX_NATIONAL_CODE_CHECKS} times a day, from any chats, and no more`, async () => {
    const { store, hash } = await depsFor(env);
    const nationalCodeHash = await hash(`limit-test-${Math.random()}`);
    const now = Date.now();
    const claims: boolean[] = [];
    for (let i = 0; i <= MAX_NATIONAL_CODE_CHECKS; i++) {
      const chatKey = `limit-test-chat-${Math.random()}`;
      await store.db.batch([recordAttempt(store.db, chatKey, now, sql`1`)]);
      claims.push(await claimNationalCodeCheck(store, chatKey, nationalCodeHash, now));
    }
    expect(claims).toEqual([...Array(MAX_NATIONAL_CODE_CHECKS).fill(true), false]);
  });
});

describe('personal data in the store and the logs', () => {
  afterEach(() => vi.restoreAllMocks());

  it('keeps the national code and mobile of a whole binding conversation out of every column and log line', async () => {
    const lines: string[] = [];
    const capture = (...args: unknown[]) => {
      lines.push(args.map(String).join(' '));
    };
    for (const level of ['log', 'error', 'warn', 'info', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation(capture);
    }
    const chatId = newChatId();
    const messages = await bindOnGap(chatId, '09022002580', '0499370899');
    expect(messages[4]?.data).toBe(faIdentity.bound);
    await converse(chatId, faIdentity.accountButton, 6);
    // The capture works: the lines of the calls to the bus (Shahkar's, then the service's) are in it.
    expect(lines.some((line) => line.includes('"calls":2'))).toBe(true);

    const { store } = await depsFor(env);
    const tables = await store.db.all<{ name: string }>(
      sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`,
    );
    expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining([...CHAT_TABLES, 'audit_log']));
    const secrets = ['0499370899', '۰۴۹۹۳۷۰۸۹۹', '499370899', '09022002580', '9022002580', '۰۹۰۲۲۰۰۲۵۸۰'];
    for (const { name } of tables) {
      const dump = JSON.stringify(await store.db.all(sql`select * from ${sql.identifier(name)}`));
      for (const secret of secrets) expect(dump, `${secret} in ${name}`).not.toContain(secret);
    }
    const logs = lines.join('\n');
    for (const secret of secrets) expect(logs, `${secret} in the logs`).not.toContain(secret);
  });
});

describe('limits that erasure cannot reset, and no flood of codes', () => {
  it(`refuses a ${MAX_BINDING_ATTEMPTS + 1}th binding attempt of a chat in a day, erasures in between or not`, async () => {
    const chatId = botApi.newChatId();
    let sent = 0;
    /** Sends `text` (or the chat's own contact card) and returns the reply it causes. */
    const say = async (text: string | null) => {
      const update =
        text === null ? botApi.fixtures.contact(chatId, '+989121234567') : botApi.fixtures.text(chatId, text);
      await botApi.postUpdate('bale', update);
      const messages = await botApi.waitForMessages('bale', chatId, sent + 1);
      sent = messages.length;
      return messages.at(-1)?.text ?? '';
    };
    for (let attempt = 0; attempt < MAX_BINDING_ATTEMPTS; attempt++) {
      await say('سلام');
      expect(await say(faServices.military.title)).toContain(faIdentity.notice);
      expect(await say(null)).toContain(faIdentity.askNationalCode);
      await say('لغو');
      await say(faIdentity.eraseButton);
      expect(await say(faIdentity.eraseYes)).toContain(faIdentity.erased);
    }
    await say('سلام');
    expect(await say(faServices.military.title)).toContain(faIdentity.tooManyAttempts);
  }, 60_000);

  it(`sends one mobile at most ${CODE_LIMITS[0].max} codes an hour, whichever chats ask, and says why not the next`, async () => {
    const mobile = newMobile();
    const chats = Array.from({ length: CODE_LIMITS[0].max + 1 }, () => newChatId());
    const answers: string[] = [];
    for (const chatId of chats) {
      await converse(chatId, 'سلام', 0);
      await converse(chatId, faServices.military.title, 1);
      expect((await shareContact(chatId, mobile)).status).toBe(200);
      answers.push((await waitForMessages(chatId, 3))[2]?.data ?? '');
    }
    expect(answers.slice(0, -1)).toEqual(Array(CODE_LIMITS[0].max).fill(faIdentity.askCode));
    expect(answers.at(-1)).toContain(faIdentity.codesLimited);
    // The refusal came after every code was sent: the number's chat holds exactly the codes allowed.
    const codes = await waitForMessages(encodeURIComponent(`+98${mobile.slice(1)}`), CODE_LIMITS[0].max);
    expect(codes).toHaveLength(CODE_LIMITS[0].max);
    expect(codes[0]?.data).toContain('به هیچ کس ندهید');
  }, 60_000);
});
