/**
 * The inbox: each update is claimed by its dedupe key and stored, sealed, in one round trip
 * before the webhook is answered (taking its chat's lease in the same batch when the chat is
 * free); a redelivery within the claim's window is a no-op.
 */
import { eq, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { InboundEvent, Reply } from '../types.ts';
import { type HeldChat, heldChat, type Lease, type PendingEvent, takeLease } from './conversations.ts';
import { type ChatKey, type Store, sealContext } from './db.ts';
import { queueReplies, sealReply } from './outbox.ts';
import { dedupeClaims, inbox } from './schema.ts';

export interface Claim {
  /** The keyed hash of the update's dedupe basis. */
  key: string;
  expiresAt: number;
}

/**
 * Claims the dedupe key (unless a live claim holds it) and stores the event only if this claim
 * won, in one batch; with `lease`, also takes the chat's lease for the new event when no other
 * holder has it. Without a claim (dedupe switched off), the event is stored as it is.
 * @returns the new inbox id (null for a redelivery) and the chat when its lease was taken
 */
export async function claimEvent(
  { db, sealer }: Store,
  event: InboundEvent,
  claim: Claim | null,
  now: number,
  lease?: Lease,
): Promise<{ id: number | null; held: HeldChat | null }> {
  const chat = { channel: event.channel, chatId: event.chatId };
  const token = crypto.randomUUID();
  const payload = await sealer.seal(JSON.stringify(event), sealContext('inbox', chat));
  const won = claim ? sql`exists (select 1 from dedupe_claims where key = ${claim.key} and token = ${token})` : sql`1`;
  const claiming: BatchItem<'sqlite'>[] = claim
    ? [
        db
          .insert(dedupeClaims)
          .values({ key: claim.key, token, expiresAt: claim.expiresAt })
          .onConflictDoUpdate({
            target: dedupeClaims.key,
            set: { token, expiresAt: claim.expiresAt },
            setWhere: sql`${dedupeClaims.expiresAt} <= ${now}`,
          }),
      ]
    : [];
  const insertEvent = db.all<{ id: number }>(sql`insert into inbox (channel, chat_id, payload, received_at, call_key)
      select ${chat.channel}, ${chat.chatId}, ${payload}, ${event.receivedAt}, ${crypto.randomUUID()} where ${won}
      returning id`);
  const results = await db.batch([...claiming, insertEvent, ...(lease ? takeLease(db, chat, lease, now, won) : [])] as [
    typeof insertEvent,
    ...BatchItem<'sqlite'>[],
  ]);
  const [stored, ...taken] = results.slice(claiming.length) as [{ id: number }[], ...unknown[]];
  const id = stored[0]?.id ?? null;
  return { id, held: lease && id !== null ? heldChat(taken as Parameters<typeof heldChat>[0]) : null };
}

export async function openEvent(
  { sealer }: Store,
  chat: ChatKey,
  pending: Pick<PendingEvent, 'sealed'>,
): Promise<InboundEvent> {
  return JSON.parse(await sealer.open(pending.sealed, sealContext('inbox', chat))) as InboundEvent;
}

/** Sets an event aside for good (it failed every attempt) and queues the apology, together. */
export async function deadLetterEvent(store: Store, chat: ChatKey, eventId: number, apology: Reply, now: number) {
  const { db } = store;
  const body = await sealReply(store, chat, apology);
  await db.batch([
    db.update(inbox).set({ status: 'dead', processedAt: now }).where(eq(inbox.id, eventId)),
    queueReplies(db, chat, { bodies: [body], kind: 'apology', now }),
  ]);
}
