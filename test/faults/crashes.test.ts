/**
 * What an in-country host goes through: the Node entry killed outright in the middle of a run and
 * started again, and the database not answering for 5 seconds. Nothing is lost; the only copies are
 * replies in flight when it happened (sent, their mark not yet written: the documented ambiguous case).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EntryProcess, freePort, stopEntry } from '../support/entry-process.ts';
import {
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

/** A dead holder's chats wait out its lease (30 s) before the sweep takes them. */
const SETTLE_MS = 120_000;
const PAUSE_MS = 5_000;

let stack: FaultStack;
let port: number;
beforeAll(async () => {
  stack = await startFaultStack();
  port = await freePort();
  await stack.boot(port);
});
afterAll(() => stack?.stop());

const entryUrl = () => `http://127.0.0.1:${port}`;

/** Delivers the script to each chat, its updates one after another, calling `midway` once half are in. */
async function converse(chats: readonly string[], perChat: number, midway: () => Promise<void>) {
  let delivered = 0;
  let retried = 0;
  let fault: Promise<void> | undefined;
  await inParallel(chats, chats.length, async (chatId) => {
    for (let i = 0; i < perChat; i++) {
      retried += (await deliver(entryUrl, textUpdate(chatId, scriptLine(i)))).attempts - 1;
      if (++delivered === Math.floor((chats.length * perChat) / 2)) fault = midway();
    }
  });
  await fault;
  return { updates: delivered, retried };
}

describe('faults: crashes', () => {
  it('processes every update after the entry is killed (SIGKILL) in the middle of a run and restarted', async () => {
    const started = Date.now();
    const chats = Array.from({ length: size(5, 10) }, newChatId);
    let killed: EntryProcess | undefined;
    const { updates, retried } = await converse(chats, size(6, 10), async () => {
      killed = stack.entries.shift();
      if (killed) await stopEntry(killed, 'SIGKILL');
      await stack.boot(port);
    });
    await waitUntilSettled(stack, SETTLE_MS);
    const check = await checkChats(stack, chats);
    report(
      'SIGKILL',
      { updates, redelivered: retried, processed: check.processed, 'sent twice': check.resent },
      started,
    );
    expect(killed?.child.signalCode).toBe('SIGKILL');
    expect(check).toMatchObject({ events: updates, processed: updates, dead: 0, missing: 0, misplaced: 0 });
  });

  it('loses nothing when the database does not answer for 5 seconds in the middle of a run', async () => {
    const started = Date.now();
    const chats = Array.from({ length: size(5, 20) }, newChatId);
    const control = (what: string) => fetch(`${stack.libsqlUrl}/_control/${what}`, { method: 'POST' });
    const { updates, retried } = await converse(chats, size(6, 10), async () => {
      await control('pause');
      // The fault itself lasts 5 s; nothing waits on this but the resumption.
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      await control('resume');
    });
    await waitUntilSettled(stack, SETTLE_MS);
    const check = await checkChats(stack, chats);
    report(
      'database paused 5 s',
      { updates, redelivered: retried, processed: check.processed, 'sent twice': check.resent },
      started,
    );
    expect(check).toMatchObject({ events: updates, processed: updates, dead: 0, missing: 0, misplaced: 0 });
  });
});
