/** Gap (gap.im): on when GAP_BOT_TOKEN is set. */
import * as v from 'valibot';
import { readSettings } from '../../config.ts';
import { transportOf, webhookSecrets as webhookSecretsOf } from '../../transport.ts';
import type { ChannelFactory } from '../types.ts';
import { parseGapUpdate } from './parse.ts';
import { answerGapCallback, type GapSettings, sendGapMessage, sendGapTyping } from './send.ts';

/** The GAP_ variables. */
const Settings = v.object({
  API_BASE: v.optional(v.string(), 'https://api.gap.im'),
  BOT_TOKEN: v.optional(v.string(), ''),
  DEDUPE_WINDOW_S: v.optional(v.pipe(v.string(), v.toNumber(), v.minValue(0)), '10'),
});

export const gap: ChannelFactory = (env, fetcher) => {
  const { API_BASE, BOT_TOKEN, DEDUPE_WINDOW_S } = readSettings(env, Settings, 'GAP_');
  if (!BOT_TOKEN) return null;
  const webhookSecrets = webhookSecretsOf(env, 'GAP');
  transportOf(env, 'GAP_API_BASE', API_BASE);
  const settings: GapSettings = { apiBase: API_BASE.replace(/\/+$/, ''), token: BOT_TOKEN };
  return {
    id: 'gap',
    webhookSecrets,
    parse: (body, receivedAt) => parseGapUpdate(body, receivedAt, DEDUPE_WINDOW_S * 1000),
    send: (chatId, reply) => sendGapMessage(settings, fetcher, chatId, reply),
    // Gap's sendMessage takes a phone number as `chat_id` (docs/messengers.md#phone-numbers).
    codeToPhone: true,
    contactButton: true,
    acknowledge: (event) => answerGapCallback(settings, fetcher, event),
    showTyping: (chatId) => sendGapTyping(settings, fetcher, chatId),
  };
};
