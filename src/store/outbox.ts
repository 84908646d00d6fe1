/**
 * The outbox: replies queued with the state that produced them, sent in order per chat. What
 * happened to each send is written as a mark in the holder's next batch, not in a round trip of
 * its own.
 */
import { eq, type SQL, sql } from 'drizzle-orm';
import type { Reply } from '../types.ts';
import { type ChatKey, type Db, openSealedJson, type Store, sealContext } from './db.ts';
import { outbox } from './schema.ts';

export interface QueuedReply {
  id: number;
  /** Null when no key opens it (a key retired too early): it is set aside, with an apology. */
  reply: Reply | null;
  /** A notice (docs/notices.md) stands apart from the conversation: see `dueRepliesQuery`. */
  kind: 'reply' | 'apology' | 'notice';
  attempts: number;
}

/**
 * What became of a send: accepted by the messenger, due again at `nextAt` after `attempts`, or set
 * aside for good (a dead letter, replayable) with nobody to apologise to.
 */
export type OutboxMark =
  | { id: number; sent: { remoteId: string | null; at: number } }
  | { id: number; retry: { attempts: number; nextAt: number } }
  | { id: number; setAside: { attempts: number } };

/**
 * The statement that queues sealed replies in their order, for a batch; with `when`, only if that
 * SQL condition holds (drizzle's insert-select wants every column, so the insert is written out);
 * with `nextAt`, not sent before then. It returns their ids, in order.
 */
export function queueReplies(
  db: Db,
  chat: ChatKey,
  {
    bodies,
    kind,
    now,
    when,
    nextAt = 0,
  }: { bodies: readonly string[]; kind: QueuedReply['kind']; now: number; when?: SQL; nextAt?: number },
) {
  return db.all<{ id: number }>(sql`insert into outbox (channel, chat_id, body, kind, created_at, next_at)
    select ${chat.channel}, ${chat.chatId}, value, ${kind}, ${now}, ${nextAt} from json_each(${JSON.stringify(bodies)})
    where ${when ?? sql`1`} returning id`);
}

export function sealReply({ sealer }: Store, chat: ChatKey, reply: Reply): Promise<string> {
  return sealer.seal(JSON.stringify(reply), sealContext('outbox', chat));
}

/** The statement that writes marks, for a batch: none when there are none. */
export function markStatements(db: Db, marks: readonly OutboxMark[]) {
  if (marks.length === 0) return [];
  const rows = marks.map((mark) =>
    'sent' in mark
      ? { id: mark.id, status: 'sent', ...mark.sent }
      : 'retry' in mark
        ? { id: mark.id, ...mark.retry }
        : { id: mark.id, status: 'dead', ...mark.setAside },
  );
  return [
    db.run(sql`update outbox set
        status = coalesce(m.status, outbox.status),
        remote_id = coalesce(m.remote_id, outbox.remote_id),
        sent_at = coalesce(m.at, outbox.sent_at),
        attempts = coalesce(m.attempts, outbox.attempts),
        next_at = coalesce(m.next_at, outbox.next_at)
      from (select value ->> 'id' as id, value ->> 'status' as status, value ->> 'remoteId' as remote_id,
                   value ->> 'at' as at, value ->> 'attempts' as attempts, value ->> 'nextAt' as next_at
            from json_each(${JSON.stringify(rows)})) as m
      where outbox.id = m.id`),
  ];
}

/** A due reply as read, still sealed. */
export type DueRow = { id: number; body: string; kind: QueuedReply['kind']; attempts: number };

/**
 * The query for the chat's unsent replies that are due, oldest first, up to the first one that is
 * waiting out a backoff (the replies behind it wait too, so order is kept): alone, or in a batch.
 * A notice stands apart: one held for the morning, or waiting out a backoff, holds back nothing.
 */
export function dueRepliesQuery(db: Db, chat: ChatKey, now: number) {
  return db.all<DueRow>(sql`select id, body, kind, attempts from outbox o
    where channel = ${chat.channel} and chat_id = ${chat.chatId} and status = 'pending'
      and (kind <> 'notice' or next_at <= ${now})
      and id < coalesce((select min(id) from outbox where channel = o.channel and chat_id = o.chat_id
                           and status = 'pending' and next_at > ${now} and kind <> 'notice'),
                        ${Number.MAX_SAFE_INTEGER})
    order by id`);
}

/**
 * Opens due rows (or reads and opens them, when they were not read already), oldest first; a reply
 * the holder queued itself (`known`, by id) is taken as it is, not opened again.
 */
export async function dueReplies(
  store: Store,
  chat: ChatKey,
  now: number,
  rows?: DueRow[],
  known?: ReadonlyMap<number, Reply>,
): Promise<QueuedReply[]> {
  rows ??= await dueRepliesQuery(store.db, chat, now);
  const open = (body: string) => openSealedJson<Reply>(store, 'outbox', chat, body);
  return Promise.all(
    rows.map(async ({ body, ...row }) => ({ ...row, reply: known?.get(row.id) ?? (await open(body)) })),
  );
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
  // Nothing to apologise for a notice nobody was waiting for.
  if (queued.kind !== 'reply') {
    await setAside;
    return;
  }
  const body = await sealReply(store, chat, apology);
  await db.batch([setAside, queueReplies(db, chat, { bodies: [body], kind: 'apology', now })]);
}
