/** Every messenger Pishkhan speaks, by the name used in its webhook path. Adding one is one line here. */
import { gap } from './gap/index.ts';
import type { ChannelFactory } from './types.ts';

export const channelFactories: Readonly<Record<string, ChannelFactory>> = { gap };
