/**
 * The messenger's own habits: every update delivered many times, a chat's updates all at once,
 * and two Node entries on one database taking a chat's updates at random.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stopEntry } from '../support/entry-process.ts';
import {
  checkChat,
  checkChats,
  deliver,
  type FaultStack,
  inParallel,
  newChatId,
  report,
  scriptLine,
  size,
  startFaultStack,
  textUpdate,
  waitUntilSettled,
} from './stack.ts';

let stack: FaultStack;
beforeAll(async () => {
  stack = await startFaultStack();
  await stack.boot();
});
afterAll(() => stack?.stop());

const entryUrl = () => stack.entries[0]?.url ?? '';

describe('faults: delivery', () => {
  it('answers every update once when each is delivered many times', async () => {
    const started = Date.now();
    const chats = Array.from({ length: size(6, 100) }, newChatId);
    const perChat = size(5, 10);
    const copies = size(3, 10);
    await inParallel(chats, 10, async (chatId) => {
      for (let i = 0; i < perChat; i++) {
        const body = textUpdate(chatId, scriptLine(i));
        await Promise.all(Array.from({ length: copies }, () => deliver(entryUrl, body)));
      }
    });
    await waitUntilSettled(stack, 60_000);
    const check = await checkChats(stack, chats);
    const updates = chats.length * perChat;
    report(
      'redelivery',
      { updates, copies: updates * copies, processed: check.processed, replies: check.replies, resent: check.resent },
      started,
    );
    expect(check).toMatchObject({ events: updates, processed: updates, replies: updates, dead: 0 });
    expect(check).toMatchObject({ missing: 0, resent: 0, misplaced: 0 });
  });

  it("applies a chat's updates sent all at once in the order they were stored", async () => {
    const started = Date.now();
    const chatId = newChatId();
    const count = size(20, 50);
    const bodies = Array.from({ length: count }, (_, i) => textUpdate(chatId, scriptLine(i)));
    await Promise.all(bodies.map((body) => deliver(entryUrl, body)));
    await waitUntilSettled(stack, 60_000);
    const check = await checkChat(stack, chatId);
    report('one chat at once', { updates: count, processed: check.processed, misplaced: check.misplaced }, started);
    expect(check).toMatchObject({
      events: count,
      processed: count,
      replies: count,
      missing: 0,
      resent: 0,
      misplaced: 0,
    });
  });

  it('processes each update once and keeps every chat in order with two entries on one database', async () => {
    const started = Date.now();
    const second = await stack.boot();
    try {
      const chats = Array.from({ length: size(10, 50) }, newChatId);
      const perChat = size(10, 20);
      const urls = stack.entries.map((entry) => entry.url);
      const anyEntry = () => urls[Math.floor(Math.random() * urls.length)] ?? '';
      await inParallel(chats, chats.length, async (chatId) => {
        for (let i = 0; i < perChat; i++) await deliver(anyEntry, textUpdate(chatId, scriptLine(i)));
      });
      await waitUntilSettled(stack, 60_000);
      const check = await checkChats(stack, chats);
      const updates = chats.length * perChat;
      report(
        'two entries',
        { updates, chats: chats.length, processed: check.processed, misplaced: check.misplaced },
        started,
      );
      expect(check).toMatchObject({ events: updates, processed: updates, replies: updates, dead: 0 });
      expect(check).toMatchObject({ missing: 0, resent: 0, misplaced: 0 });
    } finally {
      await stopEntry(second, 'SIGTERM');
      stack.entries.splice(stack.entries.indexOf(second), 1);
    }
  });
});
