/**
 * Soroush's older bot API ("MrBot", messengers.md §2.A): on when SOROUSH_LEGACY_BOT_TOKEN is set.
 * It calls no webhook: updates are read from its event stream (stream.ts), by the long-lived
 * entries all the time and by the Workers' scheduled run for most of each minute (app.ts).
 */
import * as v from 'valibot';
import { ConfigError } from '../../errors.ts';
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

const Env = v.object({
  SOROUSH_LEGACY_API_BASE: v.optional(v.string(), 'https://bot.splus.ir'),
  // It goes into the path of every call.
  SOROUSH_LEGACY_BOT_TOKEN: v.optional(v.pipe(v.string(), v.regex(/^[^\s/?#%]*$/)), ''),
  SOROUSH_LEGACY_IDLE_RECONNECT_S: Seconds('120', 1),
  SOROUSH_LEGACY_SILENCE_WARN_S: Seconds('600', 1),
  SOROUSH_LEGACY_DEDUPE_WINDOW_S: Seconds('10', 0),
});

export const soroushLegacy: ChannelFactory = (env, fetcher) => {
  const names = Object.keys(Env.entries);
  const parsed = v.safeParse(Env, Object.fromEntries(names.map((name) => [name, env[name]])));
  if (!parsed.success) throw new ConfigError(parsed.issues.map((issue) => String(issue.path?.[0]?.key)));
  const e = parsed.output;
  if (!e.SOROUSH_LEGACY_BOT_TOKEN) return null;
  transportOf(env, 'SOROUSH_LEGACY_API_BASE', e.SOROUSH_LEGACY_API_BASE);
  const settings: SoroushLegacySettings = {
    apiBase: e.SOROUSH_LEGACY_API_BASE.replace(/\/+$/, ''),
    token: e.SOROUSH_LEGACY_BOT_TOKEN,
    textLimit: TEXT_LIMIT,
  };
  const streamSettings = {
    channel: CHANNEL,
    idleReconnectMs: e.SOROUSH_LEGACY_IDLE_RECONNECT_S * 1000,
    silenceWarnMs: e.SOROUSH_LEGACY_SILENCE_WARN_S * 1000,
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
    parse: (body, receivedAt) => parseSoroushLegacyMessage(body, receivedAt, e.SOROUSH_LEGACY_DEDUPE_WINDOW_S * 1000),
    send: (chatId, reply) => sendSoroushLegacyMessage(settings, fetcher, chatId, reply),
    stream: { read: (reading) => readEventStream(streamSettings, reading) },
  };
};
