/**
 * Bound identities and binding attempts (gsb-channel.md §6), and the erasure of a chat. The
 * identity is sealed bound to its chat; the national code is looked up and counted by keyed hash.
 */
import { and, count, eq, gt, lte, type SQL, sql } from 'drizzle-orm';
import type { Account } from '../conversation/state.ts';
import type { Identity } from '../types.ts';
import { batchCarryingAudit } from './audit.ts';
import { type ChatKey, type Db, type Store, sealContext } from './db.ts';
import { bindingAttempts, conversations, identities, inbox, outbox } from './schema.ts';

/** The window of the binding limits. */
export const BINDING_WINDOW_MS = 24 * 60 * 60_000;
/** Shahkar checks of one national code per window, whichever chats they come from. */
export const MAX_NATIONAL_CODE_CHECKS = 5;

/** An identity ready to store: sealed, with its national code's keyed hash. */
export interface SealedIdentity {
  sealed: string;
  nationalCodeHash: string;
}

const ofChat = (chat: ChatKey) => and(eq(identities.channel, chat.channel), eq(identities.chatId, chat.chatId));
const attemptsOfChat = (chat: ChatKey) =>
  and(eq(bindingAttempts.channel, chat.channel), eq(bindingAttempts.chatId, chat.chatId));

/** The chat's bound identity (opened) and its binding attempts within the window, in one round trip. */
export async function readAccount(store: Store, chat: ChatKey, now: number): Promise<Account> {
  const { db } = store;
  const [bound, attempts] = await db.batch([
    db.select({ sealed: identities.sealed }).from(identities).where(ofChat(chat)),
    db
      .select({ attempts: count() })
      .from(bindingAttempts)
      .where(and(attemptsOfChat(chat), gt(bindingAttempts.at, now - BINDING_WINDOW_MS))),
  ]);
  const sealed = bound[0]?.sealed;
  const identity = sealed
    ? (JSON.parse(await store.sealer.open(sealed, sealContext('identities', chat))) as Identity)
    : null;
  return { identity, bindingAttempts: attempts[0]?.attempts ?? 0 };
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

/** For a commit's batch, only `when` its condition holds: counts a binding attempt of the chat. */
export function recordAttempt(db: Db, chat: ChatKey, now: number, when: SQL) {
  return db.run(sql`insert into binding_attempts (channel, chat_id, at)
    select ${chat.channel}, ${chat.chatId}, ${now} where ${when}`);
}

/**
 * Before Shahkar is asked: marks the chat's latest attempt with the national code's keyed hash,
 * unless that national code was already checked MAX_NATIONAL_CODE_CHECKS times in the window.
 * @returns whether the check may go ahead
 */
export async function claimNationalCodeCheck(
  { db }: Store,
  chat: ChatKey,
  nationalCodeHash: string,
  now: number,
): Promise<boolean> {
  const marked = await db.all<{ id: number }>(sql`update binding_attempts set national_code_hash = ${nationalCodeHash}
    where id = (select max(id) from binding_attempts where ${attemptsOfChat(chat)})
      and (select count(*) from binding_attempts
           where national_code_hash = ${nationalCodeHash} and at > ${now - BINDING_WINDOW_MS}) < ${MAX_NATIONAL_CODE_CHECKS}
    returning id`);
  return marked.length > 0;
}

/**
 * «حذف اطلاعات من»: deletes the chat's identity, binding attempts, sent and unsent replies, and its
 * events up to `lastEventId` (later ones are new messages, processed afresh), and empties its
 * conversation, which its holder keeps (settleChat deletes the row once nothing is pending). The
 * audit log keeps its rows: they hold no personal data in clear, and their chains must stay whole.
 */
export async function eraseChat(
  store: Store,
  chat: ChatKey,
  { lastEventId, owner, now }: { lastEventId: number; owner: string; now: number },
): Promise<void> {
  const { db } = store;
  await batchCarryingAudit(store, [
    db.delete(identities).where(ofChat(chat)),
    db.delete(bindingAttempts).where(attemptsOfChat(chat)),
    db
      .update(conversations)
      .set({ state: null, version: sql`${conversations.version} + 1`, updatedAt: now })
      .where(
        and(
          eq(conversations.channel, chat.channel),
          eq(conversations.chatId, chat.chatId),
          eq(conversations.leaseOwner, owner),
        ),
      ),
    db
      .delete(inbox)
      .where(and(eq(inbox.channel, chat.channel), eq(inbox.chatId, chat.chatId), lte(inbox.id, lastEventId))),
    db.delete(outbox).where(and(eq(outbox.channel, chat.channel), eq(outbox.chatId, chat.chatId))),
  ]);
}
