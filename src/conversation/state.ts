/** What Pishkhan remembers of one chat between two messages. Serialised as JSON in the store. */

export type ConversationState =
  /** At the main menu (or just greeted). */
  | { at: 'menu' }
  /** Filling a service's form: `answers` holds the validated answers so far, in input order. */
  | { at: 'form'; service: string; answers: Record<string, string> }
  /** The form is complete and its upstream call is under way. */
  | { at: 'calling'; service: string; answers: Record<string, string> };

export const atMenu: ConversationState = { at: 'menu' };
