/**
 * What the tests ask of the local libSQL server besides SQL: the round trips one chat cost (the
 * pipelines that passed its id as an argument), and reads that are not counted among them.
 */
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { depsFor } from '../../src/deps.ts';

/** Starts counting the round trips that carry `chatId`. */
export async function watchRoundTrips(chatId: string): Promise<void> {
  const response = await fetch(`${env.LIBSQL_URL}/_control/watch`, {
    method: 'POST',
    body: JSON.stringify({ value: chatId }),
  });
  if (!response.ok) throw new Error(`the libSQL server refused the watch: ${response.status}`);
}

/** The round trips that carried `chatId` since it was watched. */
export async function roundTrips(chatId: string): Promise<number> {
  const response = await fetch(`${env.LIBSQL_URL}/_control/tally`);
  const { watched } = (await response.json()) as { watched: Record<string, number> };
  return watched[chatId] ?? 0;
}

/**
 * The chat's conversation row, read with its id written into the SQL text rather than passed as
 * an argument, so that the read is not counted among the chat's round trips.
 */
export async function conversationRow(channel: string, chatId: string) {
  if (!/^[\w-]+$/.test(channel) || !/^\d+$/.test(chatId)) throw new Error('ids must be plain');
  const { store } = await depsFor(env);
  const [row] = await store.db.all<{ lease_owner: string | null; lease_until: number; version: number }>(
    sql.raw(
      `select lease_owner, lease_until, version from conversations where channel = '${channel}' and chat_id = '${chatId}'`,
    ),
  );
  return row;
}

/** Waits until no processor holds the chat (its last batch is in), within `deadlineMs`. */
export async function waitForRelease(channel: string, chatId: string, deadlineMs = 10_000): Promise<void> {
  const until = Date.now() + deadlineMs;
  while ((await conversationRow(channel, chatId))?.lease_owner) {
    if (Date.now() > until) throw new Error(`chat ${chatId} still held after ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Waits until the chat has nothing left in flight: no pending event, no reply waiting, no holder.
 * What a test that counts replies waits on, instead of a pause: any reply yet to come would be one
 * of these.
 */
export async function waitUntilSettled(channel: string, chatId: string, deadlineMs = 10_000): Promise<void> {
  if (!/^[\w-]+$/.test(channel) || !/^\d+$/.test(chatId)) throw new Error('ids must be plain');
  const { store } = await depsFor(env);
  const chat = `channel = '${channel}' and chat_id = '${chatId}'`;
  const busy = sql.raw(`select
    (select count(*) from inbox where ${chat} and status = 'pending')
    + (select count(*) from outbox where ${chat} and status = 'pending')
    + (select count(*) from conversations where ${chat} and lease_owner is not null) as n`);
  const until = Date.now() + deadlineMs;
  while (((await store.db.all<{ n: number }>(busy))[0]?.n ?? 0) > 0) {
    if (Date.now() > until) throw new Error(`chat ${chatId} still busy after ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
