/** Bale (bale.ai) through its Telegram-compatible Bot API (messengers.md §3). */
import { botApiChannel } from './bot-api/index.ts';

export const bale = botApiChannel({
  id: 'bale',
  apiBase: 'https://tapi.bale.ai',
  // Telegram's limit; Bale's own is not documented where we could read it.
  textLimit: 4096,
});
