/**
 * Conversations: one holder per chat at a time (a lease with a time-to-live), and state saved with
 * compare-and-set on a version, together with the replies it produced and the event it consumed.
 * Each of the holder's round trips is one batch that also extends its lease and carries what it
 * owes the database (the outbox marks of the replies it sent, its audit rows): the webhook's batch
 * takes the lease of a free chat with its event, the commit saves a step, and the settle releases
 * the chat or, when events came in meanwhile, keeps it and returns them. Dependent statements carry
 * their condition themselves, because a batch runs on after an UPDATE that matched no row.
 */
import { and, eq, type SQL, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { ConversationState } from '../conversation/state.ts';
import type { Reply } from '../types.ts';
import { batchCarryingAudit } from './audit.ts';
import { type ChatKey, type Db, ofChat, type Store, sealContext } from './db.ts';
import { type SealedIdentity, storeIdentity } from './identities.ts';
import { recordAttempt } from './limits.ts';
import { type DueRow, dueRepliesQuery, markStatements, type OutboxMark, queueReplies, sealReply } from './outbox.ts';
import { conversations } from './schema.ts';
import { changeStatements, type SubscriptionChange } from './subscriptions.ts';

/** Longer than the longest pause between two of the holder's batches; a slow bus call renews it. */
export const LEASE_TTL_MS = 30_000;

/** Who holds a chat, and for how long each of its batches extends the lease. */
export interface Lease {
  owner: string;
  ttlMs: number;
}

/** A pending event as read back: sealed until the processor opens it. */
export interface PendingEvent {
  id: number;
  attempts: number;
  sealed: string;
  /** What the idempotency keys of its calls to the bus derive from. */
  callKey: string;
}

/** A chat as its holder took it. */
export interface HeldChat {
  /** Sealed; null before the chat's first step. */
  sealedState: string | null;
  version: number;
  /** Oldest first. The first one's `attempts` counts this attempt too. */
  pending: PendingEvent[];
  /** Replies queued before and due now, when the batch read them (the sweep's does). */
  due?: DueRow[];
}

const pendingOf = (chat: ChatKey) => sql`channel = ${chat.channel} and chat_id = ${chat.chatId} and status = 'pending'`;
const heldBy = (chat: ChatKey, owner: string) =>
  sql`exists (select 1 from conversations where ${ofChat(conversations, chat)} and lease_owner = ${owner})`;

/**
 * The statements that take the chat's lease unless another holder's is live (creating the row on
 * first contact), only `when` that condition holds; then, if it was taken, count an attempt on the
 * oldest pending event and read the pending events. For a batch: its results go to `heldChat`.
 */
export function takeLease(db: Db, chat: ChatKey, lease: Lease, now: number, when: SQL = sql`1`) {
  return [
    db.all<{
      state: string | null;
      version: number;
    }>(sql`insert into conversations (channel, chat_id, lease_owner, lease_until)
      select ${chat.channel}, ${chat.chatId}, ${lease.owner}, ${now + lease.ttlMs} where ${when}
      on conflict (channel, chat_id) do update set lease_owner = excluded.lease_owner, lease_until = excluded.lease_until
        where conversations.lease_until < ${now}
      returning state, version`),
    pendingStatement(db, chat, lease.owner),
  ] as const;
}

/** The results of `takeLease`: the chat, or null when another holder has it. */
export function heldChat([taken, pending]: [
  { state: string | null; version: number }[],
  PendingEvent[],
]): HeldChat | null {
  const row = taken[0];
  return row ? { sealedState: row.state, version: row.version, pending: inOrder(pending) } : null;
}

/**
 * If `owner` holds the chat: counts an attempt on the oldest pending event and returns every
 * pending one (in no particular order: `inOrder` sorts them).
 */
function pendingStatement(db: Db, chat: ChatKey, owner: string) {
  return db.all<PendingEvent>(sql`update inbox set attempts = attempts + (id = (select min(id) from inbox where ${pendingOf(chat)}))
    where ${pendingOf(chat)} and ${heldBy(chat, owner)}
    returning id, attempts, payload as sealed, coalesce(call_key, 'event-' || id) as callKey`);
}

const inOrder = (pending: PendingEvent[]) => pending.sort((a, b) => a.id - b.id);

/**
 * The scheduled sweep's way in: takes the chat's lease and reads it with its due replies.
 * @returns null when another holder has it
 */
export async function acquireChat(store: Store, chat: ChatKey, lease: Lease, now: number): Promise<HeldChat | null> {
  const [taken, pending, due] = await batchCarryingAudit(store, [
    ...takeLease(store.db, chat, lease, now),
    dueRepliesQuery(store.db, chat, now),
  ]);
  const held = heldChat([taken, pending]);
  return held && { ...held, due };
}

export interface Step {
  chat: ChatKey;
  lease: Lease;
  /** The version the state was read at. */
  version: number;
  state: ConversationState;
  replies: readonly Reply[];
  eventId: number;
  now: number;
  /** What the sends since the holder's last batch came to. */
  marks: readonly OutboxMark[];
  /** A binding attempt began in this step: counted under this key of the chat (store/limits.ts). */
  attempt?: string;
  /** Shahkar matched in this step: the identity to keep. */
  bind?: SealedIdentity;
  /**
   * A subscription made, ended or renewed in this step; when it does not take (the identity has
   * its 3, or it is gone), `otherwise` is queued instead of `replies`.
   */
  subscription?: { change: SubscriptionChange; otherwise: readonly Reply[] };
}

/**
 * Saves the new state, queues its replies, marks the event processed and keeps what binding
 * decided (an attempt, an identity) and what became of a subscription, all or nothing; extends the
 * lease, writes the marks and the audit rows whatever happens; and reads the chat's due replies,
 * for the delivery that follows.
 * @returns the due replies, the ids the step's replies got (in order) and whether they were the
 * `otherwise` ones, or null when the lease was lost or the version moved (the step was not saved)
 */
export async function commitStep(
  store: Store,
  step: Step,
): Promise<{ due: DueRow[]; queued: number[]; otherwise: boolean } | null> {
  const { db, sealer } = store;
  const { chat, lease, version, now } = step;
  const saved = sql`exists (select 1 from conversations where ${ofChat(conversations, chat)}
    and version = ${version + 1} and lease_owner = ${lease.owner})`;
  const state = await sealer.seal(JSON.stringify(step.state), sealContext('conversations', chat));
  const seal = (replies: readonly Reply[]) => Promise.all(replies.map((reply) => sealReply(store, chat, reply)));
  const bodies = await seal(step.replies);
  // The subscription's statements run before the replies, which follow whether it took.
  const change = step.subscription && changeStatements(db, chat, step.subscription.change, now, saved);
  const took = change?.took;
  const otherwise = took && step.subscription ? await seal(step.subscription.otherwise) : [];

  const [updated, ...rest] = await batchCarryingAudit(store, [
    db
      .update(conversations)
      .set({ state, version: version + 1, updatedAt: now, leaseUntil: now + lease.ttlMs })
      .where(
        and(ofChat(conversations, chat), eq(conversations.version, version), eq(conversations.leaseOwner, lease.owner)),
      )
      .returning({ version: conversations.version }),
    ...(change?.statements ?? []),
    queueReplies(db, chat, { bodies, kind: 'reply', now, when: took ? sql`${saved} and ${took}` : saved }),
    ...(took
      ? [queueReplies(db, chat, { bodies: otherwise, kind: 'reply', now, when: sql`${saved} and not ${took}` })]
      : []),
    db.run(sql`update inbox set status = 'done', processed_at = ${now} where id = ${step.eventId} and ${saved}`),
    ...markStatements(db, step.marks),
    ...(step.attempt ? [recordAttempt(db, step.attempt, now, saved)] : []),
    ...(step.bind ? [storeIdentity(db, chat, step.bind, now, saved)] : []),
    dueRepliesQuery(db, chat, now),
  ]);
  if (updated.length !== 1) return null;
  const first = change?.statements.length ?? 0;
  const queued = rest[first] as { id: number }[];
  const queuedOtherwise = (took ? rest[first + 1] : []) as { id: number }[];
  const refused = queuedOtherwise.length > 0;
  return {
    due: rest.at(-1) as DueRow[],
    queued: (refused ? queuedOtherwise : queued).map((row) => row.id),
    otherwise: refused,
  };
}

/**
 * The holder's batch after it ran what was pending: writes the marks and, when no event is pending
 * (or `letGo`: a failure, or the run's time is up), lets the chat go; else keeps the lease and
 * returns the pending events (their webhooks found the chat held and left them to this holder).
 * `empty` (the holder's state is null: after an erasure) deletes the row once nothing is pending.
 * @returns the pending events, oldest first; none when the chat was let go (or was not held)
 */
export async function settleChat(
  store: Store,
  chat: ChatKey,
  lease: Lease,
  {
    marks,
    now,
    letGo,
    empty,
    defer,
  }: {
    marks: readonly OutboxMark[];
    now: number;
    letGo: boolean;
    empty: boolean;
    /** An event that failed: not tried again before `until`. */
    defer?: { eventId: number; until: number };
  },
): Promise<PendingEvent[]> {
  const { db } = store;
  const mine = sql`${ofChat(conversations, chat)} and lease_owner = ${lease.owner}`;
  const going = letGo ? sql`1` : sql`not exists (select 1 from inbox where ${pendingOf(chat)})`;
  const release = db.run(sql`update conversations set lease_owner = case when ${going} then null else lease_owner end,
    lease_until = case when ${going} then 0 else ${now + lease.ttlMs} end
    where ${mine}`);
  const results = await batchCarryingAudit(store, [
    // Before the release, which clears the owner it matches on.
    ...(empty ? [db.run(sql`delete from conversations where ${mine} and state is null and ${going}`)] : []),
    release,
    ...markStatements(db, marks),
    ...(defer ? [db.run(sql`update inbox set next_at = ${defer.until} where id = ${defer.eventId}`)] : []),
    ...(letGo ? [] : [pendingStatement(db, chat, lease.owner)]),
  ] as [typeof release, ...BatchItem<'sqlite'>[]]);
  return letGo ? [] : inOrder(results.at(-1) as PendingEvent[]);
}

/**
 * Extends the lease while the holder waits on something slow (a call to the bus), and writes what
 * it owes meanwhile (marks, audit rows).
 * @returns whether the lease is still held
 */
export async function renewLease(
  store: Store,
  chat: ChatKey,
  lease: Lease,
  { marks, now }: { marks: readonly OutboxMark[]; now: number },
): Promise<boolean> {
  const { db } = store;
  const [renewed] = await batchCarryingAudit(store, [
    db
      .update(conversations)
      .set({ leaseUntil: now + lease.ttlMs })
      .where(and(ofChat(conversations, chat), eq(conversations.leaseOwner, lease.owner)))
      .returning({ version: conversations.version }),
    ...markStatements(db, marks),
  ]);
  return renewed.length === 1;
}
