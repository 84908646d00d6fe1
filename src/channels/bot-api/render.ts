/**
 * A Reply as the Bot API's sendMessage bodies (docs/messengers.md#bot-api-sending): the text split under the
 * messenger's limit, the menu as a reply keyboard and a question's choices as inline buttons.
 * A message carries one `reply_markup`, so a reply with both sends them on two messages.
 */
import type { Button, Reply } from '../../types.ts';
import { splitText } from '../split-text.ts';

export interface ReplyKeyboardMarkup {
  keyboard: { text: string; request_contact?: true }[][];
  resize_keyboard: boolean;
  one_time_keyboard: boolean;
}

export interface InlineKeyboardMarkup {
  inline_keyboard: { text: string; callback_data: string }[][];
}

/** One sendMessage body; `chat_id` is the id's digits, written as an integer when sent (send.ts). */
export interface BotApiMessage {
  chat_id: string;
  text: string;
  reply_markup?: ReplyKeyboardMarkup | InlineKeyboardMarkup;
}

/** @param textLimit the most a message's text may hold, in UTF-16 code units */
export function renderBotApiMessages(chatId: string, reply: Reply, textLimit: number): BotApiMessage[] {
  const keyboard = reply.keyboard && replyKeyboard(reply.keyboard);
  const inline = reply.inline && inlineKeyboard(reply.inline);
  let parts = splitText(reply.text, textLimit);
  if (keyboard && inline && parts.length === 1) parts = lastParagraphApart(parts[0] ?? '');
  const messages: BotApiMessage[] = parts.map((text) => ({ chat_id: chatId, text }));
  const last = messages.length - 1;
  // The buttons go with the closing words they answer (a question, a failed result); the menu
  // keyboard stays under the input whichever message brought it, so it takes the one before.
  const closing = inline ?? keyboard;
  if (closing) messages[last] = { ...messages[last]!, reply_markup: closing };
  if (keyboard && inline && last > 0) messages[last - 1] = { ...messages[last - 1]!, reply_markup: keyboard };
  return messages;
}

/**
 * The text's last paragraph apart from what precedes it, so that each markup has a message; a
 * one-paragraph text stays whole, and then the inline buttons win: without them the citizen could
 * not answer, while the keyboard already shown stays and every word on it can be typed.
 */
function lastParagraphApart(text: string): string[] {
  const at = text.lastIndexOf('\n\n');
  const head = text.slice(0, at).trimEnd();
  const tail = text.slice(at + 2).trimStart();
  return at > 0 && head && tail ? [head, tail] : [text];
}

/**
 * A press sends the label back as text: the engine's keyboard words are their own values. A
 * `request_contact` button shares the citizen's own number instead (a contact with their user id).
 */
function replyKeyboard(rows: Button[][]): ReplyKeyboardMarkup {
  return {
    keyboard: rows.map((row) =>
      row.map((button) =>
        button.requestContact ? { text: button.label, request_contact: true } : { text: button.label },
      ),
    ),
    resize_keyboard: true,
    // The keyboard stays after a press: the menu is where citizens come back to.
    one_time_keyboard: false,
  };
}

function inlineKeyboard(rows: Button[][]): InlineKeyboardMarkup {
  return {
    inline_keyboard: rows.map((row) => row.map((button) => ({ text: button.label, callback_data: button.value }))),
  };
}
