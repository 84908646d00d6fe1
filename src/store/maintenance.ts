/** What the scheduled sweep asks of the store: chats with work left, retention, and counts. */
import { and, count, eq, inArray, lte, min, sql } from 'drizzle-orm';
import type { ChatKey, Store } from './db.ts';
import { purgeLimitsStatements } from './limits.ts';
import { dedupeClaims, inbox, outbox } from './schema.ts';
import { purgeSubscriptions } from './subscriptions.ts';

/** Processed events and sent replies are kept this long (sealed), for tracing a complaint. */
export const RETENTION_MS = 7 * 24 * 60 * 60_000;
/** Dead letters wait this long for an operator's replay. */
export const DEAD_LETTER_RETENTION_MS = 30 * 24 * 60 * 60_000;
/**
 * A quiet chat's conversation state (the answers of a half-filled form, sealed) is emptied after a
 * day: the engine would have started over after 15 minutes anyway.
 */
export const STATE_RETENTION_MS = 24 * 60 * 60_000;
/** A chat quiet this long is forgotten: its conversation and its bound identity (it binds again). */
export const CHAT_RETENTION_MS = 180 * 24 * 60 * 60_000;
/**
 * The audit log's chains are kept a year and a month after their last row, so that an inquiry can be
 * traced for a year; a chain goes whole, so what is kept still verifies from its first row.
 */
export const AUDIT_RETENTION_MS = 395 * 24 * 60 * 60_000;

/**
 * Chats with a pending event received before `staleBefore` (its webhook's own processing should
 * have taken it by then) and due (past its backoff), or a reply that is due; the longest due first,
 * so chats that keep failing, each waiting out its backoff, cannot crowd out one that is new.
 */
export async function chatsWithWork(
  { db }: Store,
  staleBefore: number,
  now: number,
  limit: number,
): Promise<ChatKey[]> {
  const rows = await db.all<{ channel: string; chat_id: string }>(sql`
    select channel, chat_id from (
      select channel, chat_id, next_at as due from inbox
        where status = 'pending' and received_at <= ${staleBefore} and next_at <= ${now}
      union all
      select channel, chat_id, next_at as due from outbox where status = 'pending' and next_at <= ${now}
    ) group by channel, chat_id order by min(due) limit ${limit}`);
  return rows.map((row) => ({ channel: row.channel, chatId: row.chat_id }));
}

/** Deletes what is past its retention; returns how many rows of each kind went. */
export async function purgeExpired({ db }: Store, now: number) {
  const quietSince = (ms: number) => sql`updated_at < ${now - ms} and lease_until < ${now}`;
  const [events, replies, claims, states, identitiesGone, chats, chains, attempts, codes, watches] = await db.batch([
    db.delete(inbox).where(
      sql`(${inbox.status} = 'done' and ${inbox.processedAt} < ${now - RETENTION_MS})
          or (${inbox.status} = 'dead' and ${inbox.processedAt} < ${now - DEAD_LETTER_RETENTION_MS})`,
    ),
    db.delete(outbox).where(
      sql`(${outbox.status} = 'sent' and ${outbox.sentAt} < ${now - RETENTION_MS})
          or (${outbox.status} = 'dead' and ${outbox.createdAt} < ${now - DEAD_LETTER_RETENTION_MS})`,
    ),
    db.delete(dedupeClaims).where(lte(dedupeClaims.expiresAt, now)),
    db.run(sql`update conversations set state = null where state is not null and ${quietSince(STATE_RETENTION_MS)}`),
    // The identities of chats forgotten, before their conversations go (a chat that never spoke
    // since it bound has only its identity's own age to go by). A live subscription is activity:
    // the citizen asked to be told, and its checks need the identity.
    db.run(sql`delete from identities where created_at < ${now - CHAT_RETENTION_MS}
      and not exists (select 1 from conversations c where c.channel = identities.channel
        and c.chat_id = identities.chat_id and c.updated_at >= ${now - CHAT_RETENTION_MS})
      and not exists (select 1 from subscriptions s where s.channel = identities.channel
        and s.chat_id = identities.chat_id and s.expires_at > ${now})`),
    db.run(sql`delete from conversations where ${quietSince(CHAT_RETENTION_MS)}`),
    db.run(sql`delete from audit_log where writer in (select writer from audit_log group by writer
      having max(at) < ${now - AUDIT_RETENTION_MS})`),
    ...purgeLimitsStatements(db, now),
    // After the identities: a subscription whose identity went, goes too.
    purgeSubscriptions(db, now),
  ]);
  return {
    events: events.rowsAffected,
    replies: replies.rowsAffected,
    claims: claims.rowsAffected,
    states: states.rowsAffected,
    chats: chats.rowsAffected + identitiesGone.rowsAffected,
    auditRows: chains.rowsAffected,
    limits: attempts.rowsAffected + codes.rowsAffected,
    subscriptions: watches.rowsAffected,
  };
}

/** The counts an operator watches: inbox lag, outbox backlog, dead letters. */
export async function backlog({ db }: Store, now: number) {
  const [pendingEvents, pendingReplies, deadEvents, deadReplies] = await db.batch([
    db
      .select({ n: count(), oldest: min(inbox.receivedAt) })
      .from(inbox)
      .where(eq(inbox.status, 'pending')),
    db
      .select({ n: count(), due: count(sql`case when ${outbox.nextAt} <= ${now} then 1 end`) })
      .from(outbox)
      .where(eq(outbox.status, 'pending')),
    db.select({ n: count() }).from(inbox).where(eq(inbox.status, 'dead')),
    db.select({ n: count() }).from(outbox).where(eq(outbox.status, 'dead')),
  ]);
  const oldest = pendingEvents[0]?.oldest;
  return {
    pendingEvents: pendingEvents[0]?.n ?? 0,
    inboxLagMs: oldest == null ? 0 : now - oldest,
    pendingReplies: pendingReplies[0]?.n ?? 0,
    dueReplies: pendingReplies[0]?.due ?? 0,
    deadEvents: deadEvents[0]?.n ?? 0,
    deadReplies: deadReplies[0]?.n ?? 0,
  };
}

export interface DeadLetters {
  events: { id: number; channel: string; receivedAt: number; attempts: number }[];
  replies: { id: number; channel: string; kind: string; createdAt: number; attempts: number }[];
}

/** Everything set aside, oldest first: what `npm run replay` lists. */
export async function listDeadLetters({ db }: Pick<Store, 'db'>): Promise<DeadLetters> {
  const [events, replies] = await db.batch([
    db
      .select({ id: inbox.id, channel: inbox.channel, receivedAt: inbox.receivedAt, attempts: inbox.attempts })
      .from(inbox)
      .where(eq(inbox.status, 'dead'))
      .orderBy(inbox.id),
    db
      .select({
        id: outbox.id,
        channel: outbox.channel,
        kind: outbox.kind,
        createdAt: outbox.createdAt,
        attempts: outbox.attempts,
      })
      .from(outbox)
      .where(eq(outbox.status, 'dead'))
      .orderBy(outbox.id),
  ]);
  return { events, replies };
}

/** Puts dead letters back in line with fresh attempts; the next sweep takes them. */
export async function replayDeadLetters(
  { db }: Pick<Store, 'db'>,
  ids: { events: number[]; replies: number[] },
): Promise<{ events: number; replies: number }> {
  const [events, replies] = await db.batch([
    db
      .update(inbox)
      .set({ status: 'pending', attempts: 0, processedAt: null })
      .where(and(eq(inbox.status, 'dead'), inArray(inbox.id, ids.events))),
    db
      .update(outbox)
      .set({ status: 'pending', attempts: 0, nextAt: 0 })
      .where(and(eq(outbox.status, 'dead'), inArray(outbox.id, ids.replies))),
  ]);
  return { events: events.rowsAffected, replies: replies.rowsAffected };
}
