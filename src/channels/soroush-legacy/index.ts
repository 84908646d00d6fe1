/**
 * Soroush's older bot API ("MrBot", docs/messengers.md#soroush-legacy): on when
 * SOROUSH_LEGACY_BOT_TOKEN is set. It calls no webhook: updates are read from its event stream
 * (stream.ts), by the long-lived entries all the time and by the Workers' scheduled run for most of
 * each minute (app.ts).
 */
import * as v from 'valibot';
import { readSettings } from '../../config.ts';
import { transportOf } from '../../transport.ts';
import type { ChannelFactory } from '../types.ts';
import { CHANNEL, parseSoroushLegacyMessage } from './parse.ts';
import { type SoroushLegacySettings, sendSoroushLegacyMessage } from './send.ts';
import { readEventStream } from './stream.ts';

/** Not documented for this API: Telegram's, which the Bot-API clones share. */
const TEXT_LIMIT = 4096;

/** Up to a week: a timer any longer would overflow (setTimeout takes at most 2^31 - 1 ms). */
const Seconds = (fallback: string, min: number) =>
  v.optional(v.pipe(v.string(), v.toNumber(), v.integer(), v.minValue(min), v.maxValue(7 * 24 * 3600)), fallback);

/** The SOROUSH_LEGACY_ variables. */
const Settings = v.object({
  API_BASE: v.optional(v.string(), 'https://bot.splus.ir'),
  // It goes into the path of every call.
  BOT_TOKEN: v.optional(v.pipe(v.string(), v.regex(/^[^\s/?#%]*$/)), ''),
  IDLE_RECONNECT_S: Seconds('120', 1),
  SILENCE_WARN_S: Seconds('600', 1),
  DEDUPE_WINDOW_S: Seconds('10', 0),
});

export const soroushLegacy: ChannelFactory = (env, fetcher) => {
  const { API_BASE, BOT_TOKEN, IDLE_RECONNECT_S, SILENCE_WARN_S, DEDUPE_WINDOW_S } = readSettings(
    env,
    Settings,
    'SOROUSH_LEGACY_',
  );
  if (!BOT_TOKEN) return null;
  transportOf(env, 'SOROUSH_LEGACY_API_BASE', API_BASE);
  const settings: SoroushLegacySettings = {
    apiBase: API_BASE.replace(/\/+$/, ''),
    token: BOT_TOKEN,
    textLimit: TEXT_LIMIT,
  };
  const streamSettings = {
    channel: CHANNEL,
    idleReconnectMs: IDLE_RECONNECT_S * 1000,
    silenceWarnMs: SILENCE_WARN_S * 1000,
    open: (lastEventId: string | null, signal: AbortSignal) =>
      fetcher(`${settings.apiBase}/${settings.token}/getMessage`, {
        headers: {
          accept: 'text/event-stream',
          'cache-control': 'no-cache',
          ...(lastEventId !== null && { 'last-event-id': lastEventId }),
        },
        // Never followed: the token is in the path.
        redirect: 'manual',
        signal,
      }),
  };
  return {
    id: CHANNEL,
    webhookSecrets: [],
    parse: (body, receivedAt) => parseSoroushLegacyMessage(body, receivedAt, DEDUPE_WINDOW_S * 1000),
    send: (chatId, reply) => sendSoroushLegacyMessage(settings, fetcher, chatId, reply),
    stream: { read: (reading) => readEventStream(streamSettings, reading) },
  };
};
