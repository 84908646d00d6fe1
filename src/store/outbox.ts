/** The outbox: replies queued with the state that produced them, sent in order per chat. */
import { and, asc, eq, lte } from 'drizzle-orm';
import type { Reply } from '../types.ts';
import type { ChatKey, Db } from './db.ts';
import { outbox } from './schema.ts';

export interface QueuedReply {
  id: number;
  reply: Reply;
  attempts: number;
}

/** The chat's unsent replies that are due, oldest first. */
export async function dueReplies(db: Db, chat: ChatKey, now: number): Promise<QueuedReply[]> {
  const rows = await db
    .select({ id: outbox.id, body: outbox.body, attempts: outbox.attempts })
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
  return rows.map((row) => ({ id: row.id, reply: JSON.parse(row.body) as Reply, attempts: row.attempts }));
}

export async function markSent(db: Db, id: number, remoteId: string | null, now: number): Promise<void> {
  await db.update(outbox).set({ status: 'sent', remoteId, sentAt: now }).where(eq(outbox.id, id));
}

/** Records a failed attempt: due again at `nextAt`, or set aside for good when `nextAt` is null. */
export async function markAttempt(db: Db, id: number, attempts: number, nextAt: number | null): Promise<void> {
  await db
    .update(outbox)
    .set(nextAt === null ? { attempts, status: 'failed' } : { attempts, nextAt })
    .where(eq(outbox.id, id));
}
