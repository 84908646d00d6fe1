/**
 * The counters that keep identity binding from being abused (docs/architecture.md): binding
 * attempts per chat and Shahkar checks per national code, a day each, and one-time codes per
 * mobile, an hour and a day, whichever chats ask. They hold only keyed hashes, so they outlive an
 * erasure (which would otherwise reset them) until their window ends, and the sweep purges them.
 */
import { and, count, gt, lt, type SQL, sql } from 'drizzle-orm';
import type { KeyedHash } from '../crypto/keyed-hash.ts';
import type { ChatKey, Db, Store } from './db.ts';
import { bindingAttempts, codeSends } from './schema.ts';

/** The window of the binding limits. */
export const BINDING_WINDOW_MS = 24 * 60 * 60_000;
/** Shahkar checks of one national code per window, whichever chats they come from. */
export const MAX_NATIONAL_CODE_CHECKS = 5;
/**
 * One-time codes one mobile gets, whichever chats ask: enough for its owner to try again after a
 * mistake, too few to flood its chat. Someone else using them up locks the owner out of binding by
 * code for the day (README, "Your data").
 */
export const CODE_LIMITS = [
  { windowMs: 60 * 60_000, max: 3 },
  { windowMs: 24 * 60 * 60_000, max: 5 },
] as const;

/** The keyed hash a chat's attempts are counted under: no chat id is kept with them. */
export function chatLimitKey(hash: KeyedHash, chat: ChatKey): Promise<string> {
  return hash(`binding-chat\n${chat.channel}\n${chat.chatId}`);
}

/** The keyed hash a mobile's codes are counted under. */
export function mobileLimitKey(hash: KeyedHash, mobile: string): Promise<string> {
  return hash(`code-mobile\n${mobile}`);
}

/** The statement that counts a chat's attempts within the window, for a batch. */
export function attemptsQuery(db: Db, chatKey: string, now: number) {
  return db
    .select({ attempts: count() })
    .from(bindingAttempts)
    .where(and(sql`${bindingAttempts.chatHash} = ${chatKey}`, gt(bindingAttempts.at, now - BINDING_WINDOW_MS)));
}

/** For a commit's batch, only `when` its condition holds: counts a binding attempt of the chat. */
export function recordAttempt(db: Db, chatKey: string, now: number, when: SQL) {
  return db.run(sql`insert into binding_attempts (chat_hash, at) select ${chatKey}, ${now} where ${when}`);
}

/**
 * Before Shahkar is asked: marks the chat's latest attempt with the national code's keyed hash,
 * unless that national code was already checked MAX_NATIONAL_CODE_CHECKS times in the window.
 * @returns whether the check may go ahead
 */
export async function claimNationalCodeCheck(
  { db }: Store,
  chatKey: string,
  nationalCodeHash: string,
  now: number,
): Promise<boolean> {
  const marked = await db.all<{ id: number }>(sql`update binding_attempts set national_code_hash = ${nationalCodeHash}
    where id = (select max(id) from binding_attempts where chat_hash = ${chatKey})
      and (select count(*) from binding_attempts
           where national_code_hash = ${nationalCodeHash} and at > ${now - BINDING_WINDOW_MS}) < ${MAX_NATIONAL_CODE_CHECKS}
    returning id`);
  return marked.length > 0;
}

/**
 * Before a one-time code is sent: records the send unless the mobile had its share of codes within
 * any of CODE_LIMITS' windows.
 * @returns whether the code may go
 */
export async function claimCodeSend({ db }: Store, mobileKey: string, now: number): Promise<boolean> {
  const within = CODE_LIMITS.map(
    ({ windowMs, max }) =>
      sql`(select count(*) from code_sends where mobile_hash = ${mobileKey} and at > ${now - windowMs}) < ${max}`,
  );
  const claimed = await db.all<{ id: number }>(sql`insert into code_sends (mobile_hash, at)
    select ${mobileKey}, ${now} where ${sql.join(within, sql` and `)} returning id`);
  return claimed.length > 0;
}

/** For the sweep's purge: the counters past their longest window go. */
export function purgeLimitsStatements(db: Db, now: number) {
  const longest = Math.max(BINDING_WINDOW_MS, ...CODE_LIMITS.map((limit) => limit.windowMs));
  return [
    db.delete(bindingAttempts).where(lt(bindingAttempts.at, now - longest)),
    db.delete(codeSends).where(lt(codeSends.at, now - longest)),
  ] as const;
}
