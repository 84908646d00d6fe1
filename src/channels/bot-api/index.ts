/**
 * The Telegram-style Bot API family (Soroush Plus, Bale, …): one implementation, configured per
 * messenger by its name, its API's address and its text limit. A messenger named `soroush` reads
 * SOROUSH_BOT_TOKEN (without it, it is off), SOROUSH_WEBHOOK_SECRET (the webhook path's secret,
 * with SOROUSH_WEBHOOK_SECRET_PREVIOUS during a rotation), SOROUSH_API_BASE and, optionally,
 * SOROUSH_SECRET_TOKEN.
 */
import * as v from 'valibot';
import { readSettings } from '../../config.ts';
import { timingSafeEqual } from '../../crypto/timing-safe.ts';
import { transportOf, webhookSecrets as webhookSecretsOf } from '../../transport.ts';
import type { Channel, ChannelFactory } from '../types.ts';
import { parseBotApiUpdate } from './parse.ts';
import { answerCallbackQuery, type BotApiSettings, sendBotApiMessage, sendBotApiTyping } from './send.ts';

export interface BotApiMessenger {
  /** Its name in the webhook path, and in upper case the prefix of its variables. */
  id: string;
  /** Where its Bot API answers when `<PREFIX>_API_BASE` is not set. */
  apiBase: string;
  /** The most one message's text may hold, in UTF-16 code units. */
  textLimit: number;
}

/**
 * The header Telegram sends with the `secret_token` given to setWebhook. Whether Soroush Plus and
 * Bale send it is unconfirmed (docs/messengers.md#bot-api-webhook-registration), so it is checked
 * only when one is configured.
 */
const SECRET_TOKEN_HEADER = 'x-telegram-bot-api-secret-token';

const Settings = v.object({
  API_BASE: v.optional(v.string()),
  // It goes into the path of every call.
  BOT_TOKEN: v.optional(v.pipe(v.string(), v.regex(/^[^\s/?#%]*$/)), ''),
  // Telegram's rule for secret_token; an empty value means none, as a variable left blank.
  SECRET_TOKEN: v.optional(v.union([v.literal(''), v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,256}$/))]), ''),
});

export function botApiChannel(messenger: BotApiMessenger): ChannelFactory {
  const prefix = messenger.id.toUpperCase();
  return (env, fetcher) => {
    const { API_BASE = messenger.apiBase, BOT_TOKEN, SECRET_TOKEN } = readSettings(env, Settings, `${prefix}_`);
    if (!BOT_TOKEN) return null;
    const webhookSecrets = webhookSecretsOf(env, prefix);
    transportOf(env, `${prefix}_API_BASE`, API_BASE);
    const settings: BotApiSettings = {
      channel: messenger.id,
      apiBase: API_BASE.replace(/\/+$/, ''),
      token: BOT_TOKEN,
      textLimit: messenger.textLimit,
    };
    const channel: Channel = {
      id: messenger.id,
      webhookSecrets,
      parse: (body, receivedAt) => parseBotApiUpdate(messenger.id, body, receivedAt),
      send: (chatId, reply) => sendBotApiMessage(settings, fetcher, chatId, reply),
      acknowledge: (event) => answerCallbackQuery(settings, fetcher, event),
      showTyping: (chatId) => sendBotApiTyping(settings, fetcher, chatId),
      contactButton: true,
    };
    if (!SECRET_TOKEN) return channel;
    return { ...channel, verify: (headers) => timingSafeEqual(headers.get(SECRET_TOKEN_HEADER) ?? '', SECRET_TOKEN) };
  };
}
