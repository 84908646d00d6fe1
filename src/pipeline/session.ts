/**
 * What a chat's holder carries from one event to the next: its lease, the conversation as it
 * stands, the chat's account once a step needed it, and the marks of the replies it sent that its
 * next batch will write.
 */
import type { Account, ConversationState } from '../conversation/state.ts';
import type { Deps } from '../deps.ts';
import type { Lease, PendingEvent } from '../store/conversations.ts';
import { type ChatKey, openSealedJson } from '../store/db.ts';
import { chatLimitKey } from '../store/limits.ts';
import type { OutboxMark } from '../store/outbox.ts';
import type { InboundEvent } from '../types.ts';

export interface Session {
  deps: Deps;
  chat: ChatKey;
  lease: Lease;
  /** Epoch ms by which processing must end, when the runtime bounds it. */
  deadline: number | undefined;
  /** The event the webhook stored and handed over in the clear: it is not opened again. */
  received: { id: number; event: InboundEvent } | null;
  /** The event being run, while it is: the one to wait out a backoff if the run fails. */
  processing: PendingEvent | null;
  state: ConversationState | null;
  /** The version `state` was saved at. */
  version: number;
  /** The stored state could not be opened: the next step starts afresh and apologises first. */
  lost: boolean;
  /** Read when a step first needs it, then kept up to date by the steps' effects. */
  account: Account | null;
  /** The keyed hash the chat's binding limits are counted under, made when first needed. */
  limitKey?: Promise<string>;
  marks: OutboxMark[];
}

/** The keyed hash the chat's binding limits are counted under (store/limits.ts). */
export function limitKeyOf(session: Session): Promise<string> {
  session.limitKey ??= chatLimitKey(session.deps.hash, session.chat);
  return session.limitKey;
}

/**
 * A held chat's state, opened; `lost` when no key opens it (a key left PII_KEYS too early): the
 * conversation starts afresh, with an apology, rather than stay stuck on a value nobody can read.
 */
export async function openState(
  { store }: Deps,
  chat: ChatKey,
  sealed: string | null,
): Promise<{ state: ConversationState | null; lost: boolean }> {
  if (sealed === null) return { state: null, lost: false };
  const state = await openSealedJson<ConversationState>(store, 'conversations', chat, sealed);
  return { state, lost: state === null };
}

/** Kept from a bounded run's time for the commit and the sends that follow a step's last call. */
const COMMIT_MARGIN_MS = 3_000;

/** The epoch ms by which a step's calls must end, when the run is bounded. */
export function callsDeadline(session: Session): number | undefined {
  return session.deadline === undefined ? undefined : session.deadline - COMMIT_MARGIN_MS;
}

/** Whether the run's time for calls is up (never, when it is not bounded). */
export function outOfTime(session: Session): boolean {
  const deadline = callsDeadline(session);
  return deadline !== undefined && session.deps.now() >= deadline;
}
