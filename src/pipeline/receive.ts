/**
 * How an update enters the inbox, whether a webhook posted it or a stream carried it: its dedupe
 * key (a keyed hash of its basis) is claimed together with the event in one round trip, and a new
 * event starts its chat's processing in the background (the runtime's `waitUntil`). A stream is
 * read under its database lease (store/stream-lease.ts), one reader at a time, from where the
 * last reader got to.
 */
import type { Channel, ParsedUpdate, UpdateStream, WebhookBody } from '../channels/types.ts';
import type { Deps } from '../deps.ts';
import { ChannelError } from '../errors.ts';
import { log, logError } from '../log.ts';
import { claimEvent } from '../store/inbox.ts';
import {
  acquireStreamLease,
  releaseStreamLease,
  renewStreamLease,
  type StreamPosition,
} from '../store/stream-lease.ts';
import type { InboundEvent } from '../types.ts';
import { processChat } from './process-chat.ts';

/** Keeps work running after its caller has moved on (Workers' waitUntil, the hosts' tracking). */
export type Background = (work: Promise<void>) => void;

/** How long an update id that is unique by itself (a button's callback id) stays claimed. */
const UNIQUE_ID_CLAIM_MS = 7 * 24 * 60 * 60_000;
/** A stream's lease lives this long unless renewed, which happens every third of it. */
const STREAM_LEASE_TTL_MS = 60_000;
const STREAM_RENEW_MS = STREAM_LEASE_TTL_MS / 3;

/**
 * Claims a parsed update in the inbox and, when it is new, processes its chat in the background.
 * @returns the stored event and whether it was new (false for a redelivery)
 */
export async function receive(
  deps: Deps,
  channel: Channel,
  parsed: ParsedUpdate,
  background: Background,
): Promise<{ event: InboundEvent; accepted: boolean }> {
  const { dedupe } = parsed;
  const event: InboundEvent = { ...parsed.event, dedupeKey: await deps.hash(`${channel.id}\n${dedupe.basis}`) };
  const claim = { key: event.dedupeKey, expiresAt: event.receivedAt + (dedupe.windowMs ?? UNIQUE_ID_CLAIM_MS) };
  const id = await claimEvent(deps.store, event, claim, deps.now());
  if (id !== null) {
    const chat = { channel: event.channel, chatId: event.chatId };
    background(processChat(deps, chat).catch((error) => logError('process-failed', error, { channel: channel.id })));
  }
  return { event, accepted: id !== null };
}

export interface StreamHold {
  /** Ends the hold (a stop); the lease is released with the position reached. */
  signal: AbortSignal;
  background: Background;
  /** Ends the hold after this long (a scheduled run on Workers); absent, it lasts until `signal`. */
  holdMs?: number;
}

/**
 * Reads a channel's stream into the inbox under its lease, renewing it, until the hold ends or the
 * lease is lost.
 * @returns false when another reader holds the lease (nothing was read)
 */
export async function holdStream(
  deps: Deps,
  channel: Channel & { stream: UpdateStream },
  hold: StreamHold,
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
      deliver: async (message) => {
        position.lastMessageAt = deps.now();
        await take(deps, channel, message, hold.background);
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

/** One stream message: a malformed one or a notice is logged and skipped; a failure to store it rejects. */
async function take(deps: Deps, channel: Channel, message: WebhookBody, background: Background): Promise<void> {
  const started = deps.now();
  let parsed: ParsedUpdate | null;
  try {
    parsed = channel.parse(message, started);
  } catch (error) {
    if (!(error instanceof ChannelError)) throw error;
    logError('stream-message', error, { channel: channel.id, outcome: 'malformed' });
    return;
  }
  if (!parsed) {
    log('stream-message', { channel: channel.id, outcome: 'ignored' });
    return;
  }
  const { event, accepted } = await receive(deps, channel, parsed, background);
  log('stream-message', {
    channel: channel.id,
    kind: event.kind,
    outcome: accepted ? 'accepted' : 'duplicate',
    ms: deps.now() - started,
  });
}
