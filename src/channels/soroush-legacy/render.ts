/**
 * A Reply as Soroush legacy's sendMessage bodies (docs/messengers.md#soroush-legacy-sending):
 * `{type: 'TEXT', to, body, time, keyboard}`, the text split under the limit. The API has one kind
 * of button, a keyboard button `{text, command}` whose press sends the command back, so both of the
 * engine's button kinds go on that keyboard: a question's choices first, their commands marked
 * (CHOICE_MARK) so that a press is heard as a button, then the menu or the form's words, whose
 * commands are the words themselves. A reply without buttons sends no keyboard and leaves the one
 * shown in place. There is no button that shares one's own number (the channel says so, and the
 * engine never asks for one here): such a button is left out.
 */
import type { Button, Reply } from '../../types.ts';
import { splitText } from '../split-text.ts';
import { CHOICE_MARK } from './parse.ts';

export interface LegacyButton {
  text: string;
  command: string;
}

export interface LegacyMessage {
  type: 'TEXT';
  to: string;
  body: string;
  /** Epoch milliseconds as a string, as the official SDKs send it. */
  time: string;
  keyboard?: LegacyButton[][];
}

/**
 * @param textLimit the most a message's body may hold, in UTF-16 code units
 * @param now the sending time, in ms since the epoch
 */
export function renderSoroushLegacyMessages(to: string, reply: Reply, textLimit: number, now: number): LegacyMessage[] {
  const words = (reply.keyboard ?? []).map((row) => row.filter((button) => !button.requestContact));
  const keyboard = [...(reply.inline ?? []).map(choiceRow), ...words.filter((row) => row.length > 0).map(wordRow)];
  const messages: LegacyMessage[] = splitText(reply.text, textLimit).map((body) => ({
    type: 'TEXT',
    to,
    body,
    time: String(now),
  }));
  // The buttons go with the closing words they answer.
  const last = messages.length - 1;
  if (keyboard.length > 0) messages[last] = { ...messages[last]!, keyboard };
  return messages;
}

function choiceRow(row: Button[]): LegacyButton[] {
  return row.map((button) => ({ text: button.label, command: `${CHOICE_MARK}${button.value}` }));
}

function wordRow(row: Button[]): LegacyButton[] {
  return row.map((button) => ({ text: button.label, command: button.value }));
}
