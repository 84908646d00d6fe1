/** Bale (bale.ai) through its Telegram-compatible Bot API (docs/messengers.md#bale). */
import type { BotApiMessenger } from './bot-api/index.ts';

export const bale: BotApiMessenger = {
  id: 'bale',
  apiBase: 'https://tapi.bale.ai',
  // Telegram's limit; Bale's own is not documented where we could read it.
  textLimit: 4096,
};
