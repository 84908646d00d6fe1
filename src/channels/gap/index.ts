/** Gap (gap.im): on when GAP_BOT_TOKEN is set. */
import * as v from 'valibot';
import { ConfigError } from '../../errors.ts';
import { transportOf, webhookSecrets as webhookSecretsOf } from '../../transport.ts';
import type { ChannelFactory } from '../types.ts';
import { parseGapUpdate } from './parse.ts';
import { answerGapCallback, type GapSettings, sendGapMessage, sendGapTyping } from './send.ts';

const Env = v.object({
  GAP_API_BASE: v.optional(v.string(), 'https://api.gap.im'),
  GAP_BOT_TOKEN: v.optional(v.string(), ''),
  GAP_DEDUPE_WINDOW_S: v.optional(v.pipe(v.string(), v.toNumber(), v.minValue(0)), '10'),
});

export const gap: ChannelFactory = (env, fetcher) => {
  const parsed = v.safeParse(Env, env);
  if (!parsed.success) throw new ConfigError(parsed.issues.map((issue) => String(issue.path?.[0]?.key)));
  const { GAP_API_BASE, GAP_BOT_TOKEN, GAP_DEDUPE_WINDOW_S } = parsed.output;
  if (!GAP_BOT_TOKEN) return null;
  const webhookSecrets = webhookSecretsOf(env, 'GAP');
  transportOf(env, 'GAP_API_BASE', GAP_API_BASE);
  const settings: GapSettings = { apiBase: GAP_API_BASE.replace(/\/+$/, ''), token: GAP_BOT_TOKEN };
  return {
    id: 'gap',
    webhookSecrets,
    parse: (body, receivedAt) => parseGapUpdate(body, receivedAt, GAP_DEDUPE_WINDOW_S * 1000),
    send: (chatId, reply) => sendGapMessage(settings, fetcher, chatId, reply),
    // Gap's sendMessage takes a phone number as `chat_id` (gsb-channel.md §6).
    codeToPhone: true,
    acknowledge: (event) => answerGapCallback(settings, fetcher, event),
    showTyping: (chatId) => sendGapTyping(settings, fetcher, chatId),
  };
};
