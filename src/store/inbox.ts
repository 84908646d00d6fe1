/** The inbox: updates are claimed here, once each, before the webhook is answered. */
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { InboundEvent } from '../types.ts';
import type { ChatKey, Db } from './db.ts';
import { inbox } from './schema.ts';

export interface StoredEvent {
  id: number;
  event: InboundEvent;
}

/**
 * Claims the event's dedupe key and stores the event in one statement.
 * @returns the new inbox id, or null when the key was already claimed (a redelivery).
 */
export async function claimEvent(db: Db, event: InboundEvent): Promise<number | null> {
  const rows = await db
    .insert(inbox)
    .values({
      channel: event.channel,
      chatId: event.chatId,
      dedupeKey: event.dedupeKey,
      payload: JSON.stringify(event),
      receivedAt: event.receivedAt,
    })
    .onConflictDoNothing({ target: inbox.dedupeKey })
    .returning({ id: inbox.id });
  return rows[0]?.id ?? null;
}

/** The chat's unprocessed events, oldest first (a query, to run alone or inside a batch). */
export function pendingEventsQuery(db: Db, chat: ChatKey) {
  return db
    .select({ id: inbox.id, payload: inbox.payload })
    .from(inbox)
    .where(and(eq(inbox.channel, chat.channel), eq(inbox.chatId, chat.chatId), isNull(inbox.processedAt)))
    .orderBy(asc(inbox.id));
}

export function toStoredEvents(rows: readonly { id: number; payload: string }[]): StoredEvent[] {
  return rows.map((row) => ({ id: row.id, event: JSON.parse(row.payload) as InboundEvent }));
}
