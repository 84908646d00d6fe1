/**
 * Every messenger Pishkhan speaks, by the name used in its webhook path. Adding one is one line
 * here: a factory of its own folder, or, for one more Telegram-style Bot API, its configuration.
 */
import { bale } from './bale.ts';
import { type BotApiMessenger, botApiChannel } from './bot-api/index.ts';
import { gap } from './gap/index.ts';
import { soroush } from './soroush.ts';
import { soroushLegacy } from './soroush-legacy/index.ts';
import type { ChannelFactory } from './types.ts';

/** The Bot-API messengers, one configuration each; `npm run webhooks` registers their webhooks. */
export const botApiMessengers: readonly BotApiMessenger[] = [soroush, bale];

export const channelFactories: Readonly<Record<string, ChannelFactory>> = {
  gap,
  ...Object.fromEntries(botApiMessengers.map((messenger) => [messenger.id, botApiChannel(messenger)])),
  'soroush-legacy': soroushLegacy,
};
