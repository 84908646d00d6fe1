import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { trafficFinesFor } from '../../dev/sandboxes/gsb/records.ts';
import { step } from '../../src/conversation/engine.ts';
import type { ConversationState } from '../../src/conversation/state.ts';
import { depsFor } from '../../src/deps.ts';
import { fa } from '../../src/i18n/fa.ts';
import worker from '../../src/index.ts';
import { MAX_SEND_ATTEMPTS } from '../../src/pipeline/deliver.ts';
import { sendableAt } from '../../src/pipeline/notice-schedule.ts';
import { MAX_EVENT_ATTEMPTS, processChat } from '../../src/pipeline/process-chat.ts';
import { catalogue } from '../../src/services/catalogue.ts';
import { claimEvent, openEvent } from '../../src/store/inbox.ts';
import { replayDeadLetters } from '../../src/store/maintenance.ts';
import { sealReply } from '../../src/store/outbox.ts';
import { readablePlate } from '../../src/validation/plate.ts';
import { inbound } from '../support/events.ts';
import { waitUntilSettled } from './database.ts';
import { newChatId, postUpdate, sendText, waitForMessages, webhookUrl } from './gap.ts';
import { Citizen, checkAt, movedAhead, newPlate, recordFine } from './notices.ts';
import { runScheduled } from './worker.ts';

/** Waits for `expected` messages and for the chat to settle (nothing more in flight), then returns them all. */
async function settledMessages(chatId: string, expected: number) {
  await waitForMessages(chatId, expected);
  await waitUntilSettled('gap', chatId);
  return waitForMessages(chatId, expected);
}

async function injectSendFault(fault: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${env.GAP_API_BASE}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(fault),
  });
  expect(response.status).toBe(200);
}

describe('redeliveries', () => {
  it('answers the same inline button press, delivered 10 times, once', async () => {
    const chatId = newChatId();
    const data = JSON.stringify({ data: 'menu', message_id: 1, callback_id: `cb-${chatId}` });
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => postUpdate({ chat_id: chatId, type: 'triggerButton', data })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(await settledMessages(chatId, 1)).toHaveLength(1);
  });

  it('hears the same text twice within the window once, and twice when the window has passed', async () => {
    // Its own environment object, so the deps built for it (window 1 s) are reused across its calls.
    const windowed = { ...env, GAP_DEDUPE_WINDOW_S: '1' };
    const send = async (chatId: string, text: string) => {
      const ctx = createExecutionContext();
      const body = new URLSearchParams({ chat_id: chatId, type: 'text', data: text });
      const init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body };
      const response = await worker.fetch(new Request(webhookUrl(), init), windowed, ctx);
      await waitOnExecutionContext(ctx);
      expect(response.status).toBe(200);
    };
    const chatId = newChatId();
    await send(chatId, 'سلام');
    // The first copy was received by now: its window ends within a second of this.
    const firstReceived = Date.now();
    await send(chatId, 'سلام');
    expect(await settledMessages(chatId, 1)).toHaveLength(1);
    // What is tested is the window itself: the clock must pass its end.
    await expect.poll(() => Date.now(), { timeout: 5_000, interval: 50 }).toBeGreaterThan(firstReceived + 1_000);
    await send(chatId, 'سلام');
    expect(await settledMessages(chatId, 2)).toHaveLength(2);
  });
});

describe('order', () => {
  it('applies 20 updates of one chat sent at once in inbox order, and sends every reply once, in order', async () => {
    const chatId = newChatId();
    const texts = ['سلام', 'نشانی از کد پستی', '0123456789', 'منو', 'چیز دیگر'];
    const sent = Array.from({ length: 20 }, (_, i) => texts[i % texts.length] as string);
    const responses = await Promise.all(sent.map((text) => sendText(chatId, text)));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    const messages = await settledMessages(chatId, 20);
    expect(messages).toHaveLength(20);

    // Replay the engine over the inbox, in id order: the replies must be exactly what it says.
    const deps = await depsFor(env);
    const chat = { channel: 'gap', chatId };
    const rows = await deps.store.db.all<{ id: number; payload: string }>(
      sql`select id, payload from inbox where channel = 'gap' and chat_id = ${chatId} order by id`,
    );
    let state: ConversationState | null = null;
    const expected: string[] = [];
    for (const row of rows) {
      const event = await openEvent(deps.store, chat, { sealed: row.payload });
      const result = step(state, event, event.receivedAt, catalogue);
      state = result.state;
      expected.push(...result.replies.map((reply) => reply.text));
    }
    expect(messages.map((m) => m.data)).toEqual(expected);
    const [conversation] = await deps.store.db.all<{ version: number }>(
      sql`select version from conversations where channel = 'gap' and chat_id = ${chatId}`,
    );
    expect(conversation?.version).toBe(20);
  });
});

describe('sending', () => {
  it('sends a reply once, after the wait, when the messenger first answers 429 with Retry-After', async () => {
    const chatId = newChatId();
    await injectSendFault({ status: 429, retryAfter: 1, count: 1, chat_id: chatId });
    const started = Date.now();
    await sendText(chatId, 'سلام');
    const messages = await settledMessages(chatId, 1);
    expect(messages).toHaveLength(1);
    expect(Date.parse(messages[0]?.time ?? '') - started).toBeGreaterThanOrEqual(1_000);
  });

  it('sets aside a reply the messenger refuses for good, apologises, and sends it when replayed', async () => {
    const chatId = newChatId();
    await injectSendFault({ status: 400, count: 1, chat_id: chatId });
    await sendText(chatId, 'سلام');
    const messages = await settledMessages(chatId, 1);
    expect(messages.map((m) => m.data)).toEqual([fa.apology]);

    const deps = await depsFor(env);
    const dead = await deps.store.db.all<{ id: number }>(
      sql`select id from outbox where chat_id = ${chatId} and status = 'dead'`,
    );
    expect(dead).toHaveLength(1);
    expect(await replayDeadLetters(deps.store, { events: [], replies: dead.map((d) => d.id) })).toEqual({
      events: 0,
      replies: 1,
    });
    await runScheduled();
    const [, replayed] = await waitForMessages(chatId, 2);
    expect(replayed?.data).toContain(fa.greeting);
  });
});

describe('a messenger switched off', () => {
  it('keeps its replies waiting, each try further off, and sets them aside after their attempts, never looping', async () => {
    const chatId = newChatId();
    const deps = await depsFor(env);
    const off = { ...deps, channels: new Map() };
    const body = await sealReply(deps.store, { channel: 'gap', chatId }, { text: 'سلام' });
    await deps.store.db.run(
      sql`insert into outbox (channel, chat_id, body, created_at) values ('gap', ${chatId}, ${body}, ${Date.now()})`,
    );
    const state = () =>
      deps.store.db.all<{ status: string; attempts: number; next_at: number }>(
        sql`select status, attempts, next_at from outbox where chat_id = ${chatId}`,
      );
    for (let run = 1; run <= MAX_SEND_ATTEMPTS; run++) {
      const before = Date.now();
      await processChat(off, { channel: 'gap', chatId });
      const [row] = await state();
      expect(row?.attempts).toBe(run);
      if (run < MAX_SEND_ATTEMPTS) {
        expect(row?.status).toBe('pending');
        expect(row?.next_at).toBeGreaterThanOrEqual(before + 60_000);
        await deps.store.db.run(sql`update outbox set next_at = 0 where chat_id = ${chatId}`);
      } else {
        expect(row?.status).toBe('dead');
      }
    }
  });
});

describe('recovery', () => {
  it('processes, at the scheduled run, an event stored but never processed (a crash after the 200)', async () => {
    const chatId = newChatId();
    const deps = await depsFor(env);
    const receivedAt = Date.now() - 10_000;
    const event = inbound(receivedAt, { chatId, text: 'سلام', dedupeKey: `crash-${chatId}` });
    expect(
      (await claimEvent(deps.store, event, { key: event.dedupeKey, expiresAt: receivedAt + 1 }, receivedAt)).id,
    ).not.toBeNull();
    await runScheduled();
    const [menu] = await waitForMessages(chatId, 1);
    expect(menu?.data).toContain(fa.greeting);
  });

  it(`sets aside an event that fails every time after ${MAX_EVENT_ATTEMPTS} attempts, and apologises`, async () => {
    const chatId = newChatId();
    const deps = await depsFor(env);
    // A payload that will never open: as after a key was dropped from PII_KEYS too early.
    await deps.store.db.run(
      sql`insert into inbox (channel, chat_id, payload, received_at) values ('gap', ${chatId}, 'gone.AAAA.AAAA', ${Date.now() - 10_000})`,
    );
    const waits: number[] = [];
    for (let run = 0; run < MAX_EVENT_ATTEMPTS; run++) {
      const before = Date.now();
      await runScheduled();
      const [row] = await deps.store.db.all<{ next_at: number }>(
        sql`select next_at from inbox where chat_id = ${chatId}`,
      );
      waits.push((row?.next_at ?? 0) - before);
      // As if its backoff had passed: the next run takes it again.
      await deps.store.db.run(sql`update inbox set next_at = 0 where chat_id = ${chatId}`);
    }
    // Each failure put the event off for longer (backoff with jitter: each at least half its ceiling).
    expect(waits.every((wait, i) => i === 0 || wait > (waits[i - 1] ?? 0) * 0.5)).toBe(true);
    expect(waits[0]).toBeGreaterThanOrEqual(15_000 - 1_000);
    const [row] = await deps.store.db.all<{ status: string; attempts: number }>(
      sql`select status, attempts from inbox where chat_id = ${chatId}`,
    );
    expect(row).toEqual({ status: 'pending', attempts: MAX_EVENT_ATTEMPTS });
    await runScheduled();
    const [apology] = await waitForMessages(chatId, 1);
    expect(apology?.data).toBe(fa.apology);
    const [dead] = await deps.store.db.all<{ status: string }>(sql`select status from inbox where chat_id = ${chatId}`);
    expect(dead?.status).toBe('dead');
  });
});

describe('no chat starved', () => {
  it('takes a fresh chat in the first run even when 250 failing chats are due before it arrived', async () => {
    const deps = await depsFor(env);
    const now = Date.now();
    const failing = Array.from({ length: 250 }, () => newChatId());
    const rows = failing.map((chatId) => ({ chatId, payload: 'gone.AAAA.AAAA' }));
    // Each failed once already, and has waited out its backoff: due again, longer than the fresh one.
    await deps.store.db.run(sql`insert into inbox (channel, chat_id, payload, received_at, attempts, next_at)
      select 'gap', value ->> 'chatId', value ->> 'payload', ${now - 60_000}, 1, ${now - 1_000}
      from json_each(${JSON.stringify(rows)})`);
    try {
      const chatId = newChatId();
      const fresh = inbound(now - 10_000, { chatId, text: 'سلام', dedupeKey: `fresh-${chatId}` });
      await claimEvent(deps.store, fresh, { key: fresh.dedupeKey, expiresAt: now }, now);
      await runScheduled();
      const [menu] = await waitForMessages(chatId, 1);
      expect(menu?.data).toContain(fa.greeting);
    } finally {
      await deps.store.db.run(
        sql`delete from inbox where chat_id in (select value from json_each(${JSON.stringify(failing)}))`,
      );
    }
  }, 60_000);
});

describe('a stored value no key opens', () => {
  it('starts the conversation afresh with an apology, rather than stay stuck', async () => {
    const chatId = newChatId();
    const deps = await depsFor(env);
    // As after the key it was sealed with left PII_KEYS too early.
    await deps.store.db.run(
      sql`insert into conversations (channel, chat_id, state, version) values ('gap', ${chatId}, 'gone.AAAA.AAAA', 3)`,
    );
    await sendText(chatId, 'نشانی از کد پستی');
    const [apology, greeting] = await waitForMessages(chatId, 2);
    expect(apology?.data).toBe(fa.conversationLost);
    expect(greeting?.data).toContain(fa.greeting);
    // And it goes on from there.
    await sendText(chatId, 'نشانی از کد پستی');
    const [, , question] = await waitForMessages(chatId, 3);
    expect(question?.data).toContain('کد پستی');
  });
});

describe('personal data at rest', () => {
  it('keeps no national code or mobile in clear in any stored column', async () => {
    const chatId = newChatId();
    await sendText(chatId, 'سلام');
    await sendText(chatId, 'کد ملی من ۰۴۹۹۳۷۰۸۹۹ است');
    await sendText(chatId, '09121234567');
    await settledMessages(chatId, 3);
    const deps = await depsFor(env);
    const tables = await deps.store.db.all<{ name: string }>(
      sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`,
    );
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['inbox', 'conversations', 'outbox', 'dedupe_claims', 'subscriptions']),
    );
    for (const { name } of tables) {
      const rows = await deps.store.db.all<Record<string, unknown>>(sql.raw(`select * from "${name}"`));
      const dump = JSON.stringify(rows);
      for (const secret of ['0499370899', '۰۴۹۹۳۷۰۸۹۹', '09121234567', '9121234567']) {
        expect(dump, `${secret} in ${name}`).not.toContain(secret);
      }
    }
  });

  it('keeps the plate, the identity and the fine ids of a subscription and its notice out of every column and log line', async () => {
    const lines: string[] = [];
    for (const level of ['log', 'error', 'warn', 'info', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(' '));
      });
    }
    try {
      const citizen = await Citizen.bound();
      const plate = newPlate();
      await citizen.subscribe(plate.typed, true);
      await recordFine(plate.nineDigits);
      const [stored] = await citizen.subscriptions();
      if (!stored) throw new Error('no subscription was stored');
      // Checked 100 days ahead, where no other file's subscription is due (notices.ts, movedAhead).
      const row = await movedAhead(stored.id, 100);
      await checkAt(sendableAt(row.next_check_at));
      expect((await citizen.next()).text).toContain('خلافی تازه');
      // The capture works: the check's own line is in it.
      expect(lines.some((line) => line.includes('"notice-check"'))).toBe(true);

      const { nationalCode, mobile } = citizen.identity;
      const fineIds = trafficFinesFor(nationalCode, plate.nineDigits, 1).fines.map((fine) => fine.id);
      const secrets = [nationalCode, mobile, mobile.slice(1), plate.nineDigits, readablePlate(plate.nineDigits) ?? '?'];
      const { store } = await depsFor(env);
      const tables = await store.db.all<{ name: string }>(
        sql`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`,
      );
      for (const { name } of tables) {
        const dump = JSON.stringify(await store.db.all(sql`select * from ${sql.identifier(name)}`));
        // The GSB sandbox's own tables (the bus's idempotency records) hold its answers, as the bus would.
        const ours = !name.startsWith('sandbox_');
        for (const secret of [...secrets, ...(ours ? fineIds : [])]) {
          expect(dump, `${secret} in ${name}`).not.toContain(secret);
        }
      }
      const logs = lines.join('\n');
      for (const secret of [...secrets, ...fineIds]) expect(logs, `${secret} in the logs`).not.toContain(secret);
    } finally {
      vi.restoreAllMocks();
    }
  });
});
