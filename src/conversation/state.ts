/**
 * What Pishkhan remembers of one chat between two messages (serialised as JSON and sealed in the
 * store), what the engine is told besides the event (StepContext), and what one step returns.
 * Every state carries `seenAt`, the time of its last step, so the engine can tell a chat that
 * went quiet without reading a clock.
 */
import type { Catalogue } from '../services/catalogue.ts';
import type { Identity, Reply, UpstreamCall } from '../types.ts';

/** A form's validated answers, keyed by input name, in input order. */
export type Answers = Record<string, string>;

export type ConversationState =
  /** At the main menu (or just greeted). */
  | { at: 'menu'; seenAt: number }
  /** Filling a service's form; `wrongTries` counts wrong answers in a row to the current question. */
  | { at: 'form'; service: string; answers: Answers; wrongTries: number; seenAt: number }
  /** The form is complete and its upstream call is under way. */
  | { at: 'calling'; service: string; answers: Answers; seenAt: number }
  /**
   * At the menu after an answer from `service`, which «استعلام دیگر» opens again; `watch`, when the
   * service can be watched, holds its answers and the ids its answer listed, for «خبرم کن».
   */
  | { at: 'answered'; service: string; watch?: Watched; seenAt: number }
  /** «خبرم کن» was pressed and explained: waiting for the citizen's yes. */
  | { at: 'confirm-watch'; service: string; watch: Watched; seenAt: number }
  /** At the menu after the bus did not answer; the answers are kept so «تلاش دوباره» can call again. */
  | { at: 'retry'; service: string; answers: Answers; seenAt: number }
  /**
   * Binding the citizen's identity before `service` (a personal one) can be used; `typed` is the
   * answer to its first question, when the citizen gave it with the service's name (a plate).
   */
  | { at: 'binding'; service: string; binding: Binding; typed?: string; seenAt: number }
  /** «حذف اطلاعات من» was asked for: waiting for its confirmation. */
  | { at: 'confirm-erase'; seenAt: number };

/** What a subscription would watch: the form's answers, and the ids the answer at hand listed. */
export interface Watched {
  answers: Answers;
  seen: string[];
}

/** One of the chat's subscriptions, as «اشتراک‌های من» lists it. */
export interface WatchView {
  id: string;
  service: string;
  answers: Answers;
  expiresAt: number;
}

/**
 * Where a binding is (docs/bus.md#identity-binding-and-shahkar); `wrongTries` counts wrong answers
 * in a row at that stage.
 */
export type Binding =
  /** Told what is kept; waiting for the citizen's own contact card. */
  | { stage: 'contact'; wrongTries: number }
  /** Gap only: a one-time code went to the mobile's chat; only its keyed hash is kept. */
  | { stage: 'code'; mobile: string; codeHash: string; sentAt: number; wrongTries: number }
  | { stage: 'national-code'; mobile: string; wrongTries: number }
  /** Shahkar is being asked whether the mobile belongs to the national code. */
  | { stage: 'checking'; mobile: string; nationalCode: string };

export type FormState = Extract<ConversationState, { at: 'form' }>;
export type BindingState = Extract<ConversationState, { at: 'binding' }>;

/** What is bound to a chat: its identity, and the binding attempts it started within the last day. */
export interface Account {
  identity: Identity | null;
  bindingAttempts: number;
}

/**
 * What the engine cannot learn without I/O, supplied by the processor with each step: the chat's
 * account, and the one-time code material.
 */
export interface StepContext {
  /**
   * Null until a step needs it: such a step answers `needs: 'account'`, and the processor reads
   * the account (a round trip only the steps that use it pay) and runs the step again.
   */
  account: Account | null;
  /** Whether the messenger can deliver a message to a phone number's own chat (Gap's `+98…`). */
  codeToPhone: boolean;
  /** Whether it can show a button that shares the citizen's own number (channels/types.ts). */
  contactButton: boolean;
  /**
   * Whether a one-time code may go to the number of the event's contact card (a number gets only so
   * many, whichever chat asks): null until a step is about to send one (`needs: 'code'`), when the
   * processor claims a send and runs the step again.
   */
  codeAllowed: boolean | null;
  /**
   * A one-time code drawn for this step with its keyed hash, used only if the step sends a code,
   * and the keyed hash of the event's text read as a code (null when it is not six digits).
   */
  codes: { fresh: string; freshHash: string; typedHash: string | null };
  /** The chat's subscriptions: null until a step lists them (`needs: 'watches'`). */
  watches: WatchView[] | null;
}

/**
 * A chat with nothing bound on a messenger that cannot send codes, as every step was before
 * identity binding existed (replays and tests of the public services).
 */
export const ANONYMOUS: StepContext = {
  account: { identity: null, bindingAttempts: 0 },
  codeToPhone: false,
  contactButton: true,
  codeAllowed: null,
  codes: { fresh: '', freshHash: '', typedHash: null },
  watches: [],
};

/** One step's surroundings, handed down from the engine to the form and binding steps. */
export interface Turn {
  now: number;
  catalogue: Catalogue;
  context: StepContext;
}

/** What a step may stop for, to be run again once the processor has it. */
export type Need = 'account' | 'code' | 'watches';

/**
 * Thrown by `accountOf` and `codeAllowed`, caught by `withNeeds`: deep inside a step, the quickest
 * way out.
 */
class Needed {
  constructor(readonly need: Need) {}
}

/**
 * The chat's account; when the processor has not read it yet, the step stops here (see
 * StepContext.account).
 */
export function accountOf(turn: Turn): Account {
  if (turn.context.account) return turn.context.account;
  throw new Needed('account');
}

/** Whether a one-time code may go to the contact's number; unclaimed yet, the step stops here. */
export function codeAllowed(turn: Turn): boolean {
  if (turn.context.codeAllowed !== null) return turn.context.codeAllowed;
  throw new Needed('code');
}

/** The chat's subscriptions; unread yet, the step stops here. */
export function watchesOf(turn: Turn): WatchView[] {
  if (turn.context.watches) return turn.context.watches;
  throw new Needed('watches');
}

/** Runs `decide`; when it stopped for something, answers `needs` (with `state` unchanged). */
export function withNeeds(state: ConversationState, decide: () => StepResult): StepResult {
  try {
    return decide();
  } catch (error) {
    if (!(error instanceof Needed)) throw error;
    return { state, replies: [], call: null, needs: error.need };
  }
}

/** What the processor must do beyond sending the replies, in the same commit. */
export type Effect =
  /** A binding attempt began (counted against the chat's daily limit). */
  | { kind: 'attempt' }
  /** Shahkar matched: keep this identity, sealed. */
  | { kind: 'bind'; identity: Identity }
  /** Delete every row of this chat but the audit log's; the replies are sent after. */
  | { kind: 'erase' }
  /**
   * Subscribe the chat to news of `service`'s answer to `watch.answers`, for its bound `identity`;
   * when the identity has its 3 already, nothing is kept and `otherwise` is said instead.
   */
  | { kind: 'watch'; service: string; watch: Watched; identity: Identity; otherwise: Reply[] }
  /** End the chat's subscription `id` (whether or not it still exists). */
  | { kind: 'unwatch'; id: string }
  /** Extend the chat's subscription `id` by its term; `otherwise` is said when it is gone. */
  | { kind: 'renew'; id: string; otherwise: Reply[] };

export interface StepResult {
  state: ConversationState;
  replies: Reply[];
  /** Set when the step needs the bus; its outcome goes to `settle`. */
  call: UpstreamCall | null;
  effect?: Effect;
  /** The step could not decide without this: nothing else in this result counts. */
  needs?: Need;
}
