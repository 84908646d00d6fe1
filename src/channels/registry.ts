/** Every messenger Pishkhan speaks, by the name used in its webhook path. Adding one is one line here. */
import { bale } from './bale.ts';
import { gap } from './gap/index.ts';
import { soroush } from './soroush.ts';
import { soroushLegacy } from './soroush-legacy/index.ts';
import type { ChannelFactory } from './types.ts';

export const channelFactories: Readonly<Record<string, ChannelFactory>> = {
  gap,
  soroush,
  bale,
  'soroush-legacy': soroushLegacy,
};
