/**
 * What Pishkhan remembers of one chat between two messages (serialised as JSON in the store), and
 * what one step of the engine returns. Every state carries `seenAt`, the time of its last step,
 * so the engine can tell a chat that went quiet without reading a clock.
 */
import type { Reply, UpstreamCall } from '../types.ts';

/** A form's validated answers, keyed by input name, in input order. */
export type Answers = Record<string, string>;

export type ConversationState =
  /** At the main menu (or just greeted). */
  | { at: 'menu'; seenAt: number }
  /** Filling a service's form; `wrongTries` counts wrong answers in a row to the current question. */
  | { at: 'form'; service: string; answers: Answers; wrongTries: number; seenAt: number }
  /** The form is complete and its upstream call is under way. */
  | { at: 'calling'; service: string; answers: Answers; seenAt: number }
  /** At the menu after the bus did not answer; the answers are kept so «تلاش دوباره» can call again. */
  | { at: 'retry'; service: string; answers: Answers; seenAt: number };

export type FormState = Extract<ConversationState, { at: 'form' }>;

export interface StepResult {
  state: ConversationState;
  replies: Reply[];
  /** Set when the step needs the bus; its outcome goes to `settle`. */
  call: UpstreamCall | null;
}
