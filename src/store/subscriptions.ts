/**
 * Subscriptions to notices (docs/notices.md): kept, ended and renewed in a commit's batch, listed
 * for «اشتراک‌های من», and claimed in bounded batches by the scheduled run that checks them (a claim
 * with a time-to-live, so two runs never check one at once). The answers are sealed to the chat;
 * the ids already seen are keyed hashes only.
 */
import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm';
import type { Answers, WatchView } from '../conversation/state.ts';
import type { Identity } from '../types.ts';
import { batchCarryingAudit } from './audit.ts';
import { type ChatKey, type Db, ofChat, openSealedJson, type Store, sealContext } from './db.ts';
import { openIdentity } from './identities.ts';
import { queueReplies } from './outbox.ts';
import { subscriptions } from './schema.ts';

/** A subscription lasts 90 days from its making or its last renewal. */
export const SUBSCRIPTION_TERM_MS = 90 * 24 * 60 * 60_000;
/** The citizen is asked to renew once it has this little left. */
export const RENEWAL_ASKED_BEFORE_MS = 7 * 24 * 60 * 60_000;
/** Live subscriptions per bound identity (national code), whichever chats hold them. */
export const MAX_PER_IDENTITY = 3;
/**
 * Longer than a run's checks take (20, two at a time, each within the client's deadline); a run that
 * dies frees its claims after this.
 */
const CHECK_CLAIM_MS = 5 * 60_000;

/** A new subscription, ready to store. */
export interface NewSubscription {
  id: string;
  service: string;
  nationalCodeHash: string;
  /** The answers, sealed to the chat. */
  answers: string;
  answersHash: string;
  /** Keyed hashes of the ids the answer at hand listed: what the citizen has already seen. */
  seen: string[];
  nextCheckAt: number;
  expiresAt: number;
}

/** What a commit changes among the chat's subscriptions. */
export type SubscriptionChange =
  | { kind: 'watch'; subscription: NewSubscription }
  | { kind: 'unwatch'; id: string }
  | { kind: 'renew'; id: string; expiresAt: number };

export function sealAnswers({ sealer }: Store, chat: ChatKey, answers: Answers): Promise<string> {
  return sealer.seal(JSON.stringify(answers), sealContext('subscriptions', chat));
}

/**
 * The statements of `change` for a commit's batch, run only `when` the step is saved, and the SQL
 * condition that tells, after them, whether it took (null when it always does): a subscription
 * beyond the identity's MAX_PER_IDENTITY is refused by the INSERT itself, not by a read before it.
 */
export function changeStatements(db: Db, chat: ChatKey, change: SubscriptionChange, now: number, when: SQL) {
  switch (change.kind) {
    case 'watch': {
      const s = change.subscription;
      // Watching the same thing again keeps one row, renewed, and still counts as done: the row itself
      // is not among those the limit counts, so it renews at the limit too.
      const insert = db.run(sql`insert into subscriptions (id, channel, chat_id, national_code_hash, service, answers,
          answers_hash, seen, next_check_at, expires_at, created_at)
        select ${s.id}, ${chat.channel}, ${chat.chatId}, ${s.nationalCodeHash}, ${s.service}, ${s.answers},
          ${s.answersHash}, ${JSON.stringify(s.seen)}, ${s.nextCheckAt}, ${s.expiresAt}, ${now}
        where ${when} and (select count(*) from subscriptions
          where national_code_hash = ${s.nationalCodeHash} and expires_at > ${now}
            and not (channel = ${chat.channel} and chat_id = ${chat.chatId} and service = ${s.service}
              and answers_hash = ${s.answersHash})) < ${MAX_PER_IDENTITY}
        on conflict (channel, chat_id, service, answers_hash) do update set expires_at = excluded.expires_at,
          renewal_asked = 0`);
      const took = sql`exists (select 1 from subscriptions where channel = ${chat.channel} and chat_id = ${chat.chatId}
        and service = ${s.service} and answers_hash = ${s.answersHash} and expires_at > ${now})`;
      return { statements: [insert], took };
    }
    case 'unwatch':
      return {
        statements: [
          db.run(sql`delete from subscriptions where id = ${change.id}
          and channel = ${chat.channel} and chat_id = ${chat.chatId} and ${when}`),
        ],
        took: null,
      };
    case 'renew': {
      const mine = sql`id = ${change.id} and channel = ${chat.channel} and chat_id = ${chat.chatId}`;
      return {
        statements: [
          db.run(sql`update subscriptions set expires_at = ${change.expiresAt}, renewal_asked = 0
            where ${mine} and expires_at > ${now} and ${when}`),
        ],
        took: sql`exists (select 1 from subscriptions where ${mine} and expires_at > ${now})`,
      };
    }
  }
}

/** The chat's live subscriptions, oldest first, their answers opened (one round trip). */
export async function readWatches(store: Store, chat: ChatKey, now: number): Promise<WatchView[]> {
  const rows = await store.db
    .select({
      id: subscriptions.id,
      service: subscriptions.service,
      answers: subscriptions.answers,
      expiresAt: subscriptions.expiresAt,
    })
    .from(subscriptions)
    .where(and(ofChat(subscriptions, chat), gt(subscriptions.expiresAt, now)))
    .orderBy(asc(subscriptions.createdAt));
  const opened = await Promise.all(
    rows.map(async (row) => {
      const answers = await openSealedJson<Answers>(store, 'subscriptions', chat, row.answers);
      return answers && { ...row, answers };
    }),
  );
  return opened.filter((row) => row !== null);
}

/** A subscription claimed for a check, opened; `identity` null when its chat's identity is gone or changed. */
export interface DueSubscription {
  id: string;
  chat: ChatKey;
  service: string;
  answers: Answers | null;
  identity: Identity | null;
  seen: string[];
  expiresAt: number;
  renewalAsked: boolean;
}

/**
 * Claims up to `limit` subscriptions due by `now` for `owner` (the longest due first) and reads
 * them with their chat's identity, in one round trip.
 */
export async function claimDue(store: Store, owner: string, now: number, limit: number): Promise<DueSubscription[]> {
  const { db } = store;
  const [, rows] = await db.batch([
    db.run(sql`update subscriptions set lease_owner = ${owner}, lease_until = ${now + CHECK_CLAIM_MS}
      where id in (select id from subscriptions where next_check_at <= ${now} and expires_at > ${now}
        and lease_until < ${now} order by next_check_at limit ${limit})`),
    db.all<{
      id: string;
      channel: string;
      chat_id: string;
      service: string;
      answers: string;
      seen: string;
      expires_at: number;
      renewal_asked: number;
      identity: string | null;
    }>(sql`select s.id, s.channel, s.chat_id, s.service, s.answers, s.seen, s.expires_at, s.renewal_asked,
        i.sealed as identity
      from subscriptions s left join identities i on i.channel = s.channel and i.chat_id = s.chat_id
        and i.national_code_hash = s.national_code_hash
      where s.lease_owner = ${owner} order by s.next_check_at`),
  ]);
  return Promise.all(
    rows.map(async (row) => {
      const chat = { channel: row.channel, chatId: row.chat_id };
      return {
        id: row.id,
        chat,
        service: row.service,
        answers: await openSealedJson<Answers>(store, 'subscriptions', chat, row.answers),
        identity: row.identity === null ? null : await openIdentity(store, chat, row.identity),
        seen: JSON.parse(row.seen) as string[],
        expiresAt: row.expires_at,
        renewalAsked: row.renewal_asked === 1,
      };
    }),
  );
}

/** What a check came to. */
export interface CheckResult {
  /** The keyed hashes of the ids the answer listed; null when there was no answer (kept as it was). */
  seen: string[] | null;
  nextCheckAt: number;
  /** Notices to queue (sealed), not sent before `sendAt`. */
  notices: string[];
  sendAt: number;
  renewalAsked: boolean;
}

/**
 * Writes a check's outcome and releases the claim, carrying the audit rows of its call. The notices
 * are queued only while the claim holds: a subscription ended or erased meanwhile sends nothing.
 */
export async function finishCheck(
  store: Store,
  due: Pick<DueSubscription, 'id' | 'chat'>,
  owner: string,
  result: CheckResult,
  now: number,
): Promise<void> {
  const { db } = store;
  const claimed = sql`exists (select 1 from subscriptions where id = ${due.id} and lease_owner = ${owner})`;
  await batchCarryingAudit(store, [
    // Before the update, which lets the claim go.
    queueReplies(db, due.chat, { bodies: result.notices, kind: 'notice', now, nextAt: result.sendAt, when: claimed }),
    db.run(sql`update subscriptions set seen = coalesce(${result.seen && JSON.stringify(result.seen)}, seen),
        next_check_at = ${result.nextCheckAt}, renewal_asked = max(renewal_asked, ${result.renewalAsked ? 1 : 0}),
        lease_owner = null, lease_until = 0
      where id = ${due.id} and lease_owner = ${owner}`),
  ]);
}

/** Deletes a claimed subscription that can no longer be checked (its identity gone or changed). */
export async function dropClaimed(store: Store, id: string, owner: string): Promise<void> {
  await batchCarryingAudit(store, [
    store.db.delete(subscriptions).where(and(eq(subscriptions.id, id), eq(subscriptions.leaseOwner, owner))),
  ]);
}

/**
 * For the purge's batch: subscriptions past their term, and those whose identity is gone (purged
 * or replaced by another national code in the same chat).
 */
export function purgeSubscriptions(db: Db, now: number) {
  return db.run(sql`delete from subscriptions where expires_at <= ${now}
    or not exists (select 1 from identities i where i.channel = subscriptions.channel
      and i.chat_id = subscriptions.chat_id and i.national_code_hash = subscriptions.national_code_hash)`);
}
