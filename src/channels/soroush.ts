/** Soroush Plus (splus.ir) through its Telegram-style Bot API (messengers.md §2.B). */
import { botApiChannel } from './bot-api/index.ts';

export const soroush = botApiChannel({
  id: 'soroush',
  apiBase: 'https://api.splus.ir',
  // Working bots split at 4000 (messengers.md §2.B, unverified); under Telegram's 4096 to be safe.
  textLimit: 4000,
});
