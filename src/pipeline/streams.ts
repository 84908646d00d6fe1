/**
 * The messengers that serve their updates as a stream (Soroush legacy): one reader per stream
 * across every isolate and process, under its database lease (store/stream-lease.ts), from where
 * the last reader got to; each message goes in as a webhook's would (ingest.ts). The Node and Deno
 * hosts read all the time; Workers, which keep no process running, for most of each scheduled run.
 */
import { pause } from '../backoff.ts';
import type { Channel, UpdateStream } from '../channels/types.ts';
import { channelsFor, type Deps, depsFor } from '../deps.ts';
import { ConfigError } from '../errors.ts';
import { log, logError } from '../log.ts';
import {
  acquireStreamLease,
  releaseStreamLease,
  renewStreamLease,
  type StreamPosition,
} from '../store/stream-lease.ts';
import type { EnvVars } from '../types.ts';
import { type Background, ingest } from './ingest.ts';

/** A stream's lease lives this long unless renewed, which happens every third of it. */
const STREAM_LEASE_TTL_MS = 60_000;
const STREAM_RENEW_MS = STREAM_LEASE_TTL_MS / 3;
/** While standing by for a stream another process holds, how often to try its lease again. */
const STANDBY_MS = 15_000;

export interface StreamsOptions {
  /** Stops reading: each stream's lease is released with the position reached. */
  signal: AbortSignal;
  background: Background;
  /**
   * One hold of each stream for this long (a scheduled run); absent, reading until `signal`, and
   * standing by while another process holds the stream.
   */
  holdMs?: number;
}

/**
 * Reads the update streams of the messengers that serve them (Soroush legacy) into the inbox.
 * Never rejects: a failure is logged and, without `holdMs`, tried again after a pause.
 */
export async function readStreams(env: EnvVars, options: StreamsOptions): Promise<void> {
  let channels: (Channel & { stream: UpdateStream })[];
  try {
    channels = [...channelsFor(env).values()].filter((channel) => channel.stream !== undefined) as typeof channels;
  } catch (error) {
    logError('config', error);
    return;
  }
  await Promise.all(channels.map((channel) => readStream(env, channel, options)));
}

async function readStream(env: EnvVars, channel: Channel & { stream: UpdateStream }, options: StreamsOptions) {
  const { signal, holdMs } = options;
  let standingBy = false;
  do {
    let outcome: 'held' | 'held-elsewhere' | 'failed' = 'failed';
    try {
      outcome = (await holdStream(await depsFor(env), channel, options)) ? 'held' : 'held-elsewhere';
    } catch (error) {
      // The environment will not change while this runs: waiting would not mend it.
      if (error instanceof ConfigError) return logError('config', error);
      logError('stream-failed', error, { channel: channel.id });
    }
    // A scheduled run that finds the stream held leaves it to the run holding it.
    if (holdMs !== undefined) return;
    if (outcome === 'held-elsewhere' && !standingBy) log('stream', { channel: channel.id, outcome: 'standing-by' });
    standingBy = outcome === 'held-elsewhere';
    if (outcome !== 'held' && !signal.aborted) await pause(STANDBY_MS, signal);
  } while (!signal.aborted);
}

/**
 * Reads a channel's stream into the inbox under its lease, renewing it, until the hold ends or the
 * lease is lost.
 * @returns false when another reader holds the lease (nothing was read)
 */
export async function holdStream(
  deps: Deps,
  channel: Channel & { stream: UpdateStream },
  hold: StreamsOptions,
): Promise<boolean> {
  const owner = crypto.randomUUID();
  const leased = await acquireStreamLease(deps.store, channel.id, owner, deps.now(), STREAM_LEASE_TTL_MS);
  if (!leased) return false;
  const position: StreamPosition = { ...leased };
  const reading = new AbortController();
  const end = () => reading.abort();
  hold.signal.addEventListener('abort', end, { once: true });
  if (hold.signal.aborted) end();
  const holdTimer = hold.holdMs === undefined ? undefined : setTimeout(end, hold.holdMs);
  let renewing: Promise<void> = Promise.resolve();
  const renew = async () => {
    try {
      if (await renewStreamLease(deps.store, channel.id, owner, { ...position }, deps.now(), STREAM_LEASE_TTL_MS))
        return;
      log('stream', { channel: channel.id, outcome: 'lease-lost' });
      end();
    } catch (error) {
      // The lease may still be ours: the next renewal tells.
      logError('stream-lease-failed', error, { channel: channel.id });
    }
  };
  const renewTimer = setInterval(() => {
    // One at a time: a slow one is not overtaken by the next.
    renewing = renewing.then(renew);
  }, STREAM_RENEW_MS);
  try {
    await channel.stream.read({
      signal: reading.signal,
      lastEventId: position.lastEventId,
      lastMessageAt: position.lastMessageAt,
      // A malformed message or a notice is logged and skipped; a failure to store one rejects.
      deliver: async (message) => {
        position.lastMessageAt = deps.now();
        await ingest(deps, channel, message, { logAs: 'stream-message', background: hold.background });
      },
      progressed: (lastEventId) => {
        position.lastEventId = lastEventId;
      },
    });
  } finally {
    clearTimeout(holdTimer);
    clearInterval(renewTimer);
    hold.signal.removeEventListener('abort', end);
    // A renewal still on its way must not land after the release.
    await renewing;
    await releaseStreamLease(deps.store, channel.id, owner, position).catch((error) =>
      logError('stream-lease-failed', error, { channel: channel.id }),
    );
  }
  return true;
}
