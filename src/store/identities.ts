/**
 * Bound identities (docs/upstream.md: identity binding) and the erasure of a chat. The identity is
 * sealed bound to its chat; the national code is looked up by keyed hash.
 */
import { and, eq, lte, type SQL, sql } from 'drizzle-orm';
import type { Account } from '../conversation/state.ts';
import type { Identity } from '../types.ts';
import { batchCarryingAudit } from './audit.ts';
import { type ChatKey, type Db, ofChat, openSealedJson, type Store, sealContext } from './db.ts';
import { attemptsQuery } from './limits.ts';
import { conversations, identities, inbox, outbox, subscriptions } from './schema.ts';

/** An identity ready to store: sealed, with its national code's keyed hash. */
export interface SealedIdentity {
  sealed: string;
  nationalCodeHash: string;
}

/**
 * The chat's bound identity (opened) and its binding attempts within the window (counted under
 * `chatKey`, store/limits.ts), in one round trip.
 */
export async function readAccount(store: Store, chat: ChatKey, chatKey: string, now: number): Promise<Account> {
  const { db } = store;
  const [bound, attempts] = await db.batch([
    db.select({ sealed: identities.sealed }).from(identities).where(ofChat(identities, chat)),
    attemptsQuery(db, chatKey, now),
  ]);
  return { identity: await openIdentity(store, chat, bound[0]?.sealed), bindingAttempts: attempts[0]?.attempts ?? 0 };
}

/** A bound identity, opened; none when no key opens it (a key retired too early): the citizen binds again. */
export async function openIdentity(store: Store, chat: ChatKey, sealed: string | undefined): Promise<Identity | null> {
  return sealed === undefined ? null : openSealedJson<Identity>(store, 'identities', chat, sealed);
}

export async function sealIdentity(
  { sealer }: Store,
  chat: ChatKey,
  identity: Identity,
  nationalCodeHash: string,
): Promise<SealedIdentity> {
  const plain = JSON.stringify({ nationalCode: identity.nationalCode, mobile: identity.mobile });
  return { sealed: await sealer.seal(plain, sealContext('identities', chat)), nationalCodeHash };
}

/** For a commit's batch, only `when` its condition holds: stores the identity, replacing any. */
export function storeIdentity(db: Db, chat: ChatKey, identity: SealedIdentity, now: number, when: SQL) {
  return db.run(sql`insert into identities (channel, chat_id, sealed, national_code_hash, created_at)
    select ${chat.channel}, ${chat.chatId}, ${identity.sealed}, ${identity.nationalCodeHash}, ${now} where ${when}
    on conflict (channel, chat_id) do update set sealed = excluded.sealed,
      national_code_hash = excluded.national_code_hash, created_at = excluded.created_at`);
}

/**
 * «حذف اطلاعات من»: deletes the chat's identity and subscriptions, sent and unsent replies (notices
 * held for the morning among them), and its events up to
 * `lastEventId` (later ones are new messages, processed afresh), and empties its conversation,
 * which its holder keeps (settleChat deletes the row once nothing is pending). What stays is
 * pseudonymous: the audit rows (a keyed hash and four digits of each identifier, in chains that
 * must stay whole) and the binding limits' counters (keyed hashes, until their window ends).
 */
export async function eraseChat(
  store: Store,
  chat: ChatKey,
  { lastEventId, owner, now }: { lastEventId: number; owner: string; now: number },
): Promise<void> {
  const { db } = store;
  await batchCarryingAudit(store, [
    db.delete(identities).where(ofChat(identities, chat)),
    // Its subscriptions end with it: nothing is checked or sent for it any more.
    db.delete(subscriptions).where(ofChat(subscriptions, chat)),
    db
      .update(conversations)
      .set({ state: null, version: sql`${conversations.version} + 1`, updatedAt: now })
      .where(and(ofChat(conversations, chat), eq(conversations.leaseOwner, owner))),
    db.delete(inbox).where(and(ofChat(inbox, chat), lte(inbox.id, lastEventId))),
    db.delete(outbox).where(ofChat(outbox, chat)),
  ]);
}
