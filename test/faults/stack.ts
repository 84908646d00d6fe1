/**
 * What the fault suite runs against, on 127.0.0.1: a libSQL server of its own, the GSB sandbox, the
 * Bale sandbox (Bale's updates carry the ids a redelivery repeats) and Node entries booted as an
 * operator runs them; the messenger's side of the webhook; and the check every scenario ends with.
 *
 * Sizes: `npm test` runs each scenario small; `npm run test:faults` (FAULTS=full) at full size.
 */
import { sql } from 'drizzle-orm';
import { localBale } from '../../dev/local-settings.ts';
import { startLocalStack } from '../../dev/local-stack.ts';
import { renderBotApiMessages } from '../../src/channels/bot-api/render.ts';
import { step } from '../../src/conversation/engine.ts';
import type { ConversationState } from '../../src/conversation/state.ts';
import { type Deps, depsFor } from '../../src/deps.ts';
import { catalogue } from '../../src/services/catalogue.ts';
import { openEvent } from '../../src/store/inbox.ts';
import { type EntryProcess, freePort, NODE_ENTRY, startEntry, stopEntry, waitFor } from '../support/entry-process.ts';

export const FULL = process.env.FAULTS === 'full';
/** A scenario's size: small in `npm test`, as the issue states it in `npm run test:faults`. */
export const size = (small: number, full: number) => (FULL ? full : small);

/** Bale's text limit, as its channel renders (src/channels/bale.ts). */
const TEXT_LIMIT = 4096;
/** What a conversation says, over and over: none of it calls the bus, and each answer differs from the last. */
const SCRIPT = ['سلام', 'نشانی از کد پستی', '0123456789', 'منو', 'چیز دیگر'];

export interface FaultStack {
  deps: Deps;
  libsqlUrl: string;
  gsbUrl: string;
  baleUrl: string;
  /** The entries running now. */
  entries: EntryProcess[];
  /** Boots one more Node entry, on `port` when given (a restart comes back where it was). */
  boot(port?: number): Promise<EntryProcess>;
  stop(): Promise<void>;
}

export async function startFaultStack(): Promise<FaultStack> {
  const entries: EntryProcess[] = [];
  // The bus keeps its idempotency records in the database, as it would across its own restarts.
  const stack = await startLocalStack({
    parts: ['libsql', 'gsb', 'gap', 'bale'],
    gsb: { recordsInLibsql: true, hangMs: 30_000 },
  });
  const { vars, urls } = stack;
  const deps = await depsFor(vars);
  const boot = async (port?: number) => {
    const settings = { HOST: '127.0.0.1', PORT: String(port ?? (await freePort())), SWEEP_INTERVAL_S: '1' };
    const entry = await startEntry(NODE_ENTRY, { ...vars, ...settings });
    entries.push(entry);
    return entry;
  };
  return {
    deps,
    libsqlUrl: urls.libsql,
    gsbUrl: urls.gsb,
    baleUrl: urls.bale,
    entries,
    boot,
    async stop() {
      await Promise.all(entries.splice(0).map((entry) => stopEntry(entry)));
      deps.store.db.$client.close();
      await stack.stop();
    },
  };
}

let lastUpdateId = 0;
let lastChatId = 0;

/** A chat id of its own for each conversation of a run. */
export const newChatId = () => String(5_000_000 + ++lastChatId);

/** The body of an update of a private chat saying `text`, with a fresh update id. */
export function textUpdate(chatId: string, text: string): string {
  const chat = { id: Number(chatId), type: 'private' };
  const from = { id: Number(chatId), is_bot: false, first_name: 'علی' };
  const date = Math.floor(Date.now() / 1000);
  return JSON.stringify({ update_id: ++lastUpdateId, message: { message_id: lastUpdateId, date, chat, from, text } });
}

/** The `i`th line of the conversation script. */
export const scriptLine = (i: number) => SCRIPT[i % SCRIPT.length] as string;

export interface Delivery {
  /** How many times it was posted before a 200. */
  attempts: number;
}

/**
 * Posts an update as a Bot API delivers one: again after any answer but 200, or none, until a 200
 * (or the deadline). `target` picks the entry for each attempt.
 */
export async function deliver(target: () => string, body: string, deadlineMs = 120_000): Promise<Delivery> {
  const until = Date.now() + deadlineMs;
  for (let attempts = 1; ; attempts++) {
    const status = await fetch(`${target()}/webhooks/bale/${localBale.webhookSecret}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': localBale.secretToken },
      body,
      signal: AbortSignal.timeout(15_000),
    }).then(
      async (response) => {
        await response.arrayBuffer(); // read, so its connection goes back to the pool
        return response.status;
      },
      () => null,
    );
    if (status === 200) return { attempts };
    if (status !== null && status < 500) throw new Error(`the webhook refused an update: ${status}`);
    if (Date.now() > until) throw new Error(`an update was not taken within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(100 * attempts, 1_000)));
  }
}

/** Waits until nothing is left to do: no pending event or reply, no chat held. */
export async function waitUntilSettled(stack: FaultStack, deadlineMs: number): Promise<void> {
  const busy = sql`select (select count(*) from inbox where status = 'pending')
    + (select count(*) from outbox where status = 'pending')
    + (select count(*) from conversations where lease_owner is not null) as n`;
  await waitFor(
    async () => ((await stack.deps.store.db.all<{ n: number }>(busy))[0]?.n ?? 1) === 0,
    deadlineMs,
    'settled database',
  );
}

export interface ChatCheck {
  /** Events stored for the chat, and how many of them were processed. */
  events: number;
  processed: number;
  /** Messages the engine says the chat should have had, in its inbox's order. */
  expected: number;
  /** Replies the messenger took. */
  replies: number;
  /** Replies set aside after failing every attempt. */
  dead: number;
  /** Expected messages that never came. */
  missing: number;
  /** Messages that came again after they had come (the ambiguous sends). */
  resent: number;
  /** Messages that came out of order, or that nobody expected. */
  misplaced: number;
}

/**
 * The chat's messages against what the engine, replayed over its inbox in id order, says they
 * should be: nothing missing, nothing out of order, and how many came twice.
 */
export async function checkChat(stack: FaultStack, chatId: string): Promise<ChatCheck> {
  const { store } = stack.deps;
  const chat = { channel: 'bale', chatId };
  const rows = await store.db.all<{ payload: string; status: string }>(
    sql`select payload, status from inbox where channel = 'bale' and chat_id = ${chatId} order by id`,
  );
  let state: ConversationState | null = null;
  const expected: string[] = [];
  for (const row of rows) {
    const event = await openEvent(store, chat, { sealed: row.payload });
    const result = step(state, event, event.receivedAt, catalogue);
    state = result.state;
    for (const reply of result.replies) {
      expected.push(...renderBotApiMessages(chatId, reply, TEXT_LIMIT).map((message) => message.text));
    }
  }
  const response = await fetch(`${stack.baleUrl}/_sandbox/messages?chat_id=${chatId}`);
  const sent = ((await response.json()) as { messages: { text: string }[] }).messages.map((m) => m.text);
  let matched = 0;
  let resent = 0;
  let misplaced = 0;
  for (const text of sent) {
    if (text === expected[matched]) matched++;
    // A copy of one of the last few delivered: sent, then sent again because its mark was lost.
    else if (expected.slice(Math.max(0, matched - 10), matched).includes(text)) resent++;
    else misplaced++;
  }
  const outbox = await store.db.all<{ status: string; n: number }>(
    sql`select status, count(*) as n from outbox where channel = 'bale' and chat_id = ${chatId} group by status`,
  );
  const count = (status: string) => Number(outbox.find((row) => row.status === status)?.n ?? 0);
  return {
    events: rows.length,
    processed: rows.filter((row) => row.status === 'done').length,
    replies: count('sent'),
    dead: count('dead'),
    expected: expected.length,
    missing: expected.length - matched,
    resent,
    misplaced,
  };
}

/** The checks of many chats, added up. */
export async function checkChats(stack: FaultStack, chatIds: readonly string[]): Promise<ChatCheck> {
  const total: ChatCheck = {
    events: 0,
    processed: 0,
    replies: 0,
    dead: 0,
    expected: 0,
    missing: 0,
    resent: 0,
    misplaced: 0,
  };
  for (const chatId of chatIds) {
    const check = await checkChat(stack, chatId);
    for (const key of Object.keys(total) as (keyof ChatCheck)[]) total[key] += check[key];
  }
  return total;
}

/** One line of figures for the scenario, printed with the run. */
export function report(scenario: string, figures: Record<string, number | string>, startedAt: number): void {
  const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
  const listed = Object.entries(figures).map(([name, value]) => `${name} ${value}`);
  console.info(`fault ${scenario}${FULL ? ' (full size)' : ''}: ${listed.join(', ')}; ${seconds} s`);
}

/** Runs `work` over `items`, at most `width` at a time. */
export async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, lane));
}
