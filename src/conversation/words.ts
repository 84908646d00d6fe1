/**
 * The steering words a citizen may type (or press on a keyboard) at any step: menu, cancel, back,
 * help, retry and again. They are matched after normalisation, so Arabic letter forms, stray spaces and
 * the case of Latin commands («/Start») do not matter.
 */
import { fa } from '../i18n/fa.ts';
import { normaliseText } from '../validation/normalise.ts';

export type Command = 'menu' | 'cancel' | 'back' | 'help' | 'retry' | 'again';

const WORDS: Record<Command, readonly string[]> = {
  menu: fa.menuWords,
  cancel: fa.cancelWords,
  back: fa.backWords,
  help: fa.helpWords,
  retry: fa.retryWords,
  again: fa.againWords,
};

const COMMANDS = new Map<string, Command>(
  Object.entries(WORDS).flatMap(([command, words]) => words.map((word) => [comparable(word), command as Command])),
);

/** The command a message names, or null when it is an answer or a menu choice. */
export function commandIn(input: string): Command | null {
  return COMMANDS.get(comparable(input)) ?? null;
}

function comparable(text: string): string {
  return normaliseText(text).toLowerCase();
}
