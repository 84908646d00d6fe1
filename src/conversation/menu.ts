/** The main menu: where a conversation starts, ends and returns to, with the services on the keyboard. */
import { fa } from '../i18n/fa.ts';
import type { Catalogue } from '../services/catalogue.ts';
import { menuKeyboard } from './keyboards.ts';
import type { StepResult } from './state.ts';

/** The menu, after `lead` (a greeting, a result, a reason) when there is one. */
export function toMenu(catalogue: Catalogue, now: number, lead?: string): StepResult {
  const text = lead ? `${lead}\n\n${fa.menuPrompt}` : fa.menuPrompt;
  return { state: { at: 'menu', seenAt: now }, replies: [{ text, keyboard: menuKeyboard(catalogue) }], call: null };
}
