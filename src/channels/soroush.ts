/** Soroush Plus (splus.ir) through its Telegram-style Bot API (docs/messengers.md#soroush-plus). */
import type { BotApiMessenger } from './bot-api/index.ts';

export const soroush: BotApiMessenger = {
  id: 'soroush',
  apiBase: 'https://api.splus.ir',
  // Working bots split at 4000 (docs/messengers.md#text-limits, unverified); under Telegram's 4096 to be safe.
  textLimit: 4000,
};
