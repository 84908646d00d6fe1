/**
 * Conversations: one processor per chat at a time (a lease with a time-to-live), and state saved
 * with compare-and-set on a version, together with the replies it produced and the event it
 * consumed, in one batch. The dependent statements carry the compare-and-set's condition
 * themselves, because a batch runs on after an UPDATE that matched no row.
 */
import { and, eq, exists, lt, sql } from 'drizzle-orm';
import type { ConversationState } from '../conversation/state.ts';
import type { Reply } from '../types.ts';
import type { ChatKey, Db } from './db.ts';
import { pendingEventsQuery, type StoredEvent, toStoredEvents } from './inbox.ts';
import { conversations, inbox, outbox } from './schema.ts';

/** Longer than the longest step (an upstream call may take about 20 s). */
export const LEASE_TTL_MS = 30_000;

export interface HeldChat {
  state: ConversationState | null;
  version: number;
  pending: StoredEvent[];
}

const isChat = (chat: ChatKey) => and(eq(conversations.channel, chat.channel), eq(conversations.chatId, chat.chatId));

/**
 * Takes the chat's lease (creating the row on first contact) and reads its state and pending
 * events, in one round trip.
 * @returns null when another processor holds a lease that has not expired.
 */
export async function acquireChat(db: Db, chat: ChatKey, owner: string, now: number): Promise<HeldChat | null> {
  const [leased, pending] = await db.batch([
    db
      .insert(conversations)
      .values({ ...chat, leaseOwner: owner, leaseUntil: now + LEASE_TTL_MS })
      .onConflictDoUpdate({
        target: [conversations.channel, conversations.chatId],
        set: { leaseOwner: owner, leaseUntil: now + LEASE_TTL_MS },
        setWhere: lt(conversations.leaseUntil, now),
      })
      .returning({ state: conversations.state, version: conversations.version }),
    pendingEventsQuery(db, chat),
  ]);
  const row = leased[0];
  if (!row) return null;
  return {
    state: row.state ? (JSON.parse(row.state) as ConversationState) : null,
    version: row.version,
    pending: toStoredEvents(pending),
  };
}

export interface Step {
  chat: ChatKey;
  owner: string;
  /** The version the state was read at. */
  version: number;
  state: ConversationState;
  replies: readonly Reply[];
  eventId: number;
  now: number;
}

/**
 * Saves the new state, queues its replies and marks the event processed, all or nothing.
 * @returns false when the lease was lost or the version moved (nothing was written).
 */
export async function commitStep(db: Db, step: Step): Promise<boolean> {
  const { chat, owner, version, now } = step;
  const saved = and(isChat(chat), eq(conversations.version, version + 1), eq(conversations.leaseOwner, owner));
  const ifSaved = db.select({ one: sql`1` }).from(conversations).where(saved);

  const [updated] = await db.batch([
    db
      .update(conversations)
      .set({ state: JSON.stringify(step.state), version: version + 1, updatedAt: now })
      .where(and(isChat(chat), eq(conversations.version, version), eq(conversations.leaseOwner, owner)))
      .returning({ version: conversations.version }),
    db.update(inbox).set({ processedAt: now }).where(and(eq(inbox.id, step.eventId), exists(ifSaved))),
    // drizzle's insert-select wants every column, so this one conditional insert is written out.
    ...step.replies.map((reply) =>
      db.run(sql`insert into outbox (channel, chat_id, body, created_at)
        select ${chat.channel}, ${chat.chatId}, ${JSON.stringify(reply)}, ${now}
        from conversations where ${saved}`),
    ),
  ]);
  return updated.length === 1;
}

/**
 * Gives the lease up and looks once more for events that arrived meanwhile (their webhook saw
 * the lease held and left them to this processor).
 * @returns whether the chat has pending events.
 */
export async function releaseChat(db: Db, chat: ChatKey, owner: string): Promise<boolean> {
  const [, pending] = await db.batch([
    db
      .update(conversations)
      .set({ leaseOwner: null, leaseUntil: 0 })
      .where(and(isChat(chat), eq(conversations.leaseOwner, owner))),
    db
      .select({ id: inbox.id })
      .from(inbox)
      .where(and(eq(inbox.channel, chat.channel), eq(inbox.chatId, chat.chatId), sql`${inbox.processedAt} is null`))
      .limit(1),
  ]);
  return pending.length > 0;
}
