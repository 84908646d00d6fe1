/**
 * The smoke suite every in-country entry passes (src/node.ts, src/deno.ts). The entry is booted
 * as a child process against the local libSQL server and the sandboxes, as an operator would run
 * it; the suite checks that it serves the webhook, runs the sweep on its own timer, and finishes
 * the work in flight when it is stopped.
 */

import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localGap } from '../../dev/local-settings.ts';
import { type LocalStack, startLocalStack } from '../../dev/local-stack.ts';
import { type Deps, depsFor } from '../../src/deps.ts';
import { fa } from '../../src/i18n/fa.ts';
import { DB_DEADLINE_MS } from '../../src/store/db.ts';
import { claimEvent } from '../../src/store/inbox.ts';
import { type EntryProcess, startEntry, stopEntry, waitFor } from '../support/entry-process.ts';
import { inbound } from '../support/events.ts';

const REPLY_DEADLINE_MS = 10_000;
/** What "exits within a few seconds" means for a stop; the entries' own bound is 10 s. */
const STOP_DEADLINE_MS = 5_000;

interface Message {
  chat_id: string;
  data: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const newChatId = () => String(10_000_000 + Math.floor(Math.random() * 89_999_999));

/**
 * Registers the suite for one entry.
 * @param command the program and its arguments
 * @param cwd where it runs: the repository's root unless given
 */
export function describeEntry(name: string, command: readonly [string, ...string[]], cwd?: string): void {
  describe(name, () => {
    let stack: LocalStack<'libsql' | 'gsb' | 'gap'>;
    let gapUrl: string;
    let libsqlUrl: string;
    let deps: Deps;
    let entry: EntryProcess;
    let output: string[];
    let url: string;

    beforeAll(async () => {
      stack = await startLocalStack({ parts: ['libsql', 'gsb', 'gap'] });
      ({ libsql: libsqlUrl, gap: gapUrl } = stack.urls);
      const { vars } = stack;
      deps = await depsFor(vars);
      // PORT 0: a free port, logged.
      entry = await startEntry(command, { ...vars, HOST: '127.0.0.1', PORT: '0', SWEEP_INTERVAL_S: '1' }, cwd);
      ({ url, output } = entry);
    });

    afterAll(async () => {
      // Only if a test failed before the stop did: this one does not wait for work in flight.
      if (entry) await stopEntry(entry);
      deps?.store.db.$client.close();
      await stack?.stop();
    });

    it('listens on 127.0.0.1 and says where in one log line', () => {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(output.filter((line) => line.includes('"listening"'))).toHaveLength(1);
    });

    it('is ready: /readyz answers 200 once its settings are complete and the database answers', async () => {
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ok: true, channels: expect.arrayContaining(['gap']) });
    });

    it('answers a Gap webhook with 200, then sends the menu, logging neither the text nor the secret', async () => {
      const chatId = newChatId();
      const response = await postText(url, chatId, 'سلام');
      expect(response.status).toBe(200);
      const [menu] = await waitForMessages(gapUrl, chatId, 1);
      expect(menu?.data).toContain(fa.greeting);
      // One line per event, written as it is processed: read off the entry's output as it arrives.
      await expect.poll(() => output.join('\n')).toContain('"event":"event"');
      expect(output.join('\n')).not.toContain('سلام');
      expect(output.join('\n')).not.toContain(localGap.webhookSecret);
    });

    it('processes, at its own scheduled sweep, an event stored but never processed', async () => {
      const chatId = newChatId();
      await leaveBehind(deps, chatId, 'سلام');
      const [menu] = await waitForMessages(gapUrl, chatId, 1);
      expect(menu?.data).toContain(fa.greeting);
    });

    it('answers 503, not 200, within seconds while the database does not answer; the retry is answered once', async () => {
      const chatId = newChatId();
      const control = (what: string) => fetch(`${libsqlUrl}/_control/${what}`, { method: 'POST' });
      await control('pause');
      const started = Date.now();
      const unstored = await postText(url, chatId, 'سلام').finally(() => control('resume'));
      expect(unstored.status).toBe(503);
      expect(unstored.headers.get('retry-after')).toBe('5');
      expect(Date.now() - started).toBeLessThan(DB_DEADLINE_MS + 3_000);

      expect((await postText(url, chatId, 'سلام')).status).toBe(200);
      await waitForMessages(gapUrl, chatId, 1);
      // A later message's reply comes after any second answer to the first would have: there is none.
      expect((await postText(url, chatId, 'منو')).status).toBe(200);
      const messages = await waitForMessages(gapUrl, chatId, 2);
      expect(messages.map((message) => message.data)).toEqual([expect.stringContaining(fa.greeting), fa.menuPrompt]);
    });

    it('on SIGTERM, finishes the reply it is sending, then exits with 0 within seconds', async () => {
      const chatId = newChatId();
      // Gap records the reply at once but answers 1.5 s later: the send is in flight when the stop comes.
      const fault = await fetch(`${gapUrl}/_sandbox/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ timeoutMs: 1_500, chat_id: chatId }),
      });
      expect(fault.status).toBe(200);
      expect((await postText(url, chatId, 'سلام')).status).toBe(200);
      await waitForMessages(gapUrl, chatId, 1);

      const stopping = Date.now();
      entry.child.kill('SIGTERM');
      const code = await Promise.race([entry.exited, sleep(STOP_DEADLINE_MS).then(() => 'still running')]);
      expect(code).toBe(0);
      expect(Date.now() - stopping).toBeLessThan(STOP_DEADLINE_MS);
      // The reply counts as sent only once Gap answered: the stop waited for it.
      const replies = sql`select status from outbox where chat_id = ${chatId}`;
      expect(await deps.store.db.all<{ status: string }>(replies)).toEqual([{ status: 'sent' }]);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    });
  });
}

/**
 * Stores a Gap text as the webhook stores it, with nobody processing it (as after a crash after
 * the 200): only a scheduled sweep answers it.
 */
export async function leaveBehind(deps: Deps, chatId: string, text: string): Promise<void> {
  const receivedAt = Date.now() - 10_000;
  const event = inbound(receivedAt, { chatId, text, dedupeKey: `left-behind-${chatId}` });
  const claim = { key: event.dedupeKey, expiresAt: receivedAt + 1 };
  expect((await claimEvent(deps.store, event, claim, receivedAt)).id).not.toBeNull();
}

/** A Gap text update posted to the entry's webhook, as Gap posts it. */
export function postText(url: string, chatId: string, text: string): Promise<Response> {
  const from = JSON.stringify({ id: Number(chatId), name: 'Test', user: 'test' });
  return fetch(`${url}/webhooks/gap/${localGap.webhookSecret}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ chat_id: chatId, type: 'text', data: text, from }).toString(),
  });
}

export async function waitForMessages(
  gapUrl: string,
  chatId: string,
  count: number,
  deadlineMs = REPLY_DEADLINE_MS,
): Promise<Message[]> {
  let messages: Message[] = [];
  await waitFor(
    async () => {
      const response = await fetch(`${gapUrl}/_sandbox/messages?chat_id=${chatId}`);
      ({ messages } = (await response.json()) as { messages: Message[] });
      return messages.length >= count;
    },
    deadlineMs,
    `${count} message(s) in chat ${chatId}`,
  );
  return messages;
}
