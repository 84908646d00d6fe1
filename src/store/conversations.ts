/**
 * Conversations: one processor per chat at a time (a lease with a time-to-live), and state saved
 * with compare-and-set on a version, together with the replies it produced and the event it
 * consumed, in one batch. The dependent statements carry the compare-and-set's condition
 * themselves, because a batch runs on after an UPDATE that matched no row.
 */
import { and, asc, eq, lt, sql } from 'drizzle-orm';
import type { ConversationState } from '../conversation/state.ts';
import type { Identity, Reply } from '../types.ts';
import { type ChatKey, type Store, sealContext } from './db.ts';
import { identityQueries, openIdentity, recordAttempt, type SealedIdentity, storeIdentity } from './identities.ts';
import type { PendingEvent } from './inbox.ts';
import { type DueRow, dueRepliesQuery, queueReply } from './outbox.ts';
import { conversations, inbox } from './schema.ts';

/** Longer than the longest step (an upstream call may take about 20 s). */
export const LEASE_TTL_MS = 30_000;

export interface HeldChat {
  state: ConversationState | null;
  version: number;
  /** Oldest first. The first one's `attempts` counts this attempt too. */
  pending: PendingEvent[];
  /** The chat's bound identity, opened. */
  identity: Identity | null;
  /** Binding attempts the chat started within BINDING_WINDOW_MS. */
  bindingAttempts: number;
}

const isChat = (chat: ChatKey) => and(eq(conversations.channel, chat.channel), eq(conversations.chatId, chat.chatId));
const isPending = (chat: ChatKey) =>
  and(eq(inbox.channel, chat.channel), eq(inbox.chatId, chat.chatId), eq(inbox.status, 'pending'));

/**
 * Takes the chat's lease (creating the row on first contact), counts an attempt on the oldest
 * pending event, and reads the state, the pending events and the bound identity, in one round trip.
 * @returns null when another processor holds a lease that has not expired.
 */
export async function acquireChat(store: Store, chat: ChatKey, owner: string, now: number): Promise<HeldChat | null> {
  const { db } = store;
  const [identityRow, attemptCount] = identityQueries(db, chat, now);
  const [leased, , pending, bound, attempts] = await db.batch([
    db
      .insert(conversations)
      .values({ ...chat, leaseOwner: owner, leaseUntil: now + LEASE_TTL_MS })
      .onConflictDoUpdate({
        target: [conversations.channel, conversations.chatId],
        set: { leaseOwner: owner, leaseUntil: now + LEASE_TTL_MS },
        setWhere: lt(conversations.leaseUntil, now),
      })
      .returning({ state: conversations.state, version: conversations.version }),
    db.run(sql`update inbox set attempts = attempts + 1
      where id = (select min(id) from inbox where ${isPending(chat)})
        and exists (select 1 from conversations where ${isChat(chat)} and lease_owner = ${owner})`),
    db
      .select({ id: inbox.id, attempts: inbox.attempts, sealed: inbox.payload })
      .from(inbox)
      .where(isPending(chat))
      .orderBy(asc(inbox.id)),
    identityRow,
    attemptCount,
  ]);
  const row = leased[0];
  if (!row) return null;
  const state = row.state ? await store.sealer.open(row.state, sealContext('conversations', chat)) : null;
  const identity = bound[0] ? await openIdentity(store, chat, bound[0].sealed) : null;
  return {
    state: state ? (JSON.parse(state) as ConversationState) : null,
    version: row.version,
    pending,
    identity,
    bindingAttempts: attempts[0]?.attempts ?? 0,
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
  /** A binding attempt began in this step. */
  attempt?: boolean;
  /** Shahkar matched in this step: the identity to keep. */
  bind?: SealedIdentity;
}

/**
 * Saves the new state, queues its replies, marks the event processed and keeps what binding
 * decided (an attempt, an identity), all or nothing; and reads the chat's due replies in the same
 * round trip, for the delivery that follows.
 * @returns the due replies, or null when the lease was lost or the version moved (nothing was written).
 */
export async function commitStep(store: Store, step: Step): Promise<DueRow[] | null> {
  const { db, sealer } = store;
  const { chat, owner, version, now } = step;
  const saved = and(isChat(chat), eq(conversations.version, version + 1), eq(conversations.leaseOwner, owner));
  const ifSaved = sql`exists (select 1 from conversations where ${saved})`;
  const state = await sealer.seal(JSON.stringify(step.state), sealContext('conversations', chat));
  const replies = await Promise.all(
    step.replies.map((reply) => sealer.seal(JSON.stringify(reply), sealContext('outbox', chat))),
  );

  const batch = await db.batch([
    db
      .update(conversations)
      .set({ state, version: version + 1, updatedAt: now })
      .where(and(isChat(chat), eq(conversations.version, version), eq(conversations.leaseOwner, owner)))
      .returning({ version: conversations.version }),
    db
      .update(inbox)
      .set({ status: 'done', processedAt: now })
      .where(and(eq(inbox.id, step.eventId), ifSaved)),
    ...replies.map((body) => queueReply(db, chat, { body, kind: 'reply', now, when: ifSaved })),
    ...(step.attempt ? [recordAttempt(db, chat, now, ifSaved)] : []),
    ...(step.bind ? [storeIdentity(db, chat, step.bind, now, ifSaved)] : []),
    dueRepliesQuery(db, chat, now),
  ]);
  const [updated] = batch;
  return updated.length === 1 ? (batch.at(-1) as DueRow[]) : null;
}

/**
 * Gives the lease up and looks once more for events that arrived meanwhile (their webhook saw
 * the lease held and left them to this processor).
 * @returns whether the chat has pending events.
 */
export async function releaseChat({ db }: Store, chat: ChatKey, owner: string): Promise<boolean> {
  const [, pending] = await db.batch([
    db
      .update(conversations)
      .set({ leaseOwner: null, leaseUntil: 0 })
      .where(and(isChat(chat), eq(conversations.leaseOwner, owner))),
    db.select({ id: inbox.id }).from(inbox).where(isPending(chat)).limit(1),
  ]);
  return pending.length > 0;
}
