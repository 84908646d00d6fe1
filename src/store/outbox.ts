/** The outbox: replies queued with the state that produced them, sent in order per chat. */
import { and, asc, eq, lte, type SQL, sql } from 'drizzle-orm';
import type { Reply } from '../types.ts';
import { type ChatKey, type Db, type Store, sealContext } from './db.ts';
import { outbox } from './schema.ts';

export interface QueuedReply {
  id: number;
  reply: Reply;
  kind: 'reply' | 'apology';
  attempts: number;
}

/**
 * The statement that queues a sealed reply, for a batch; with `when`, only if that SQL condition
 * holds (drizzle's insert-select wants every column, so the conditional insert is written out).
 */
export function queueReply(
  db: Db,
  chat: ChatKey,
  { body, kind, now, when }: { body: string; kind: QueuedReply['kind']; now: number; when?: SQL },
) {
  return db.run(sql`insert into outbox (channel, chat_id, body, kind, created_at)
    select ${chat.channel}, ${chat.chatId}, ${body}, ${kind}, ${now} where ${when ?? sql`1`}`);
}

export function sealReply({ sealer }: Store, chat: ChatKey, reply: Reply): Promise<string> {
  return sealer.seal(JSON.stringify(reply), sealContext('outbox', chat));
}

/** A due reply as read, still sealed. */
export type DueRow = { id: number; body: string; kind: QueuedReply['kind']; attempts: number };

/** The query for the chat's unsent replies that are due, oldest first: alone, or last in a batch. */
export function dueRepliesQuery(db: Db, chat: ChatKey, now: number) {
  return db
    .select({ id: outbox.id, body: outbox.body, kind: outbox.kind, attempts: outbox.attempts })
    .from(outbox)
    .where(
      and(
        eq(outbox.channel, chat.channel),
        eq(outbox.chatId, chat.chatId),
        eq(outbox.status, 'pending'),
        lte(outbox.nextAt, now),
      ),
    )
    .orderBy(asc(outbox.id));
}

/** The chat's unsent replies that are due, oldest first; `rows` when they were read already. */
export async function dueReplies(store: Store, chat: ChatKey, now: number, rows?: DueRow[]): Promise<QueuedReply[]> {
  rows ??= await dueRepliesQuery(store.db, chat, now);
  return Promise.all(
    rows.map(async ({ body, ...row }) => ({
      ...row,
      reply: JSON.parse(await store.sealer.open(body, sealContext('outbox', chat))) as Reply,
    })),
  );
}

export async function markSent({ db }: Store, id: number, remoteId: string | null, now: number): Promise<void> {
  await db.update(outbox).set({ status: 'sent', remoteId, sentAt: now }).where(eq(outbox.id, id));
}

/** Records a failed attempt; the reply is due again at `nextAt`. */
export async function markRetry({ db }: Store, id: number, attempts: number, nextAt: number): Promise<void> {
  await db.update(outbox).set({ attempts, nextAt }).where(eq(outbox.id, id));
}

/** Sets a reply aside for good after `attempts` and, unless it was an apology itself, queues the apology. */
export async function deadLetterReply(
  store: Store,
  chat: ChatKey,
  queued: Pick<QueuedReply, 'id' | 'kind'>,
  { attempts, apology, now }: { attempts: number; apology: Reply; now: number },
): Promise<void> {
  const { db } = store;
  const setAside = db.update(outbox).set({ status: 'dead', attempts }).where(eq(outbox.id, queued.id));
  if (queued.kind === 'apology') {
    await setAside;
    return;
  }
  const body = await sealReply(store, chat, apology);
  await db.batch([setAside, queueReply(db, chat, { body, kind: 'apology', now })]);
}
