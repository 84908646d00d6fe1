/** A Reply as Gap's sendMessage form fields (docs/messengers.md#gap-sending). */
import type { Button, Reply } from '../../types.ts';

export function renderGapMessage(chatId: string, reply: Reply): URLSearchParams {
  const form = new URLSearchParams({ chat_id: chatId, type: 'text', data: reply.text });
  if (reply.keyboard) form.set('reply_keyboard', JSON.stringify(replyKeyboard(reply.keyboard)));
  if (reply.inline) form.set('inline_keyboard', JSON.stringify(inlineKeyboard(reply.inline)));
  return form;
}

/**
 * Each key is one-entry object `{value: label}`; pressing it sends the value back as text. The
 * value `$contact` makes Gap share the citizen's phone number instead (a `contact` update).
 */
function replyKeyboard(rows: Button[][]) {
  return {
    keyboard: rows.map((row) =>
      row.map((button) => ({ [button.requestContact ? '$contact' : button.value]: button.label })),
    ),
    // The keyboard stays after a press: the menu is where citizens come back to.
    once: false,
    selective: false,
  };
}

function inlineKeyboard(rows: Button[][]) {
  return rows.map((row) => row.map((button) => ({ text: button.label, cb_data: button.value })));
}
