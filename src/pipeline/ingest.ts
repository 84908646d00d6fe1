/**
 * How an update enters, whether a webhook posted it or a stream carried it: parsed by its
 * messenger's adapter, its dedupe key (a keyed hash of its basis) claimed together with the event
 * in one round trip, which also takes the chat's lease when the chat is free; then the chat is
 * processed in the background (the runtime's `waitUntil`). When another holder has the chat, that
 * holder runs the event before it lets go.
 */
import type { Channel, WebhookBody } from '../channels/types.ts';
import type { Deps } from '../deps.ts';
import { ChannelError, StoreError } from '../errors.ts';
import { log, logError } from '../log.ts';
import { LEASE_TTL_MS } from '../store/conversations.ts';
import { claimEvent } from '../store/inbox.ts';
import type { InboundEvent } from '../types.ts';
import { processChat } from './process-chat.ts';

/** Keeps work running after its caller has moved on (Workers' waitUntil, the hosts' tracking). */
export type Background = (work: Promise<void>) => void;

export interface IngestOptions {
  /** The log line's event: `webhook`, or `stream-message`. */
  logAs: string;
  background: Background;
  /** Epoch ms by which the processing started here must end (Workers bound `waitUntil`). */
  deadline?: number;
}

export type Ingested =
  /** Not an update of this messenger: `reason` says why (no personal data). */
  | { outcome: 'malformed'; reason: string }
  /** An update that concerns no conversation (a read receipt). */
  | { outcome: 'ignored' }
  | { outcome: 'accepted' | 'duplicate'; kind: InboundEvent['kind'] };

/** How long an update id that is unique by itself (a button's callback id) stays claimed. */
const UNIQUE_ID_CLAIM_MS = 7 * 24 * 60 * 60_000;

/**
 * Parses `body` and stores the update it holds; a new one starts its chat's processing.
 * Rejects only when the update could not be stored.
 */
export async function ingest(
  deps: Deps,
  channel: Channel,
  body: WebhookBody,
  options: IngestOptions,
): Promise<Ingested> {
  const started = deps.now();
  const fields = { channel: channel.id };
  let parsed: ReturnType<Channel['parse']>;
  try {
    parsed = channel.parse(body, started);
  } catch (error) {
    if (!(error instanceof ChannelError)) throw error;
    logError(options.logAs, error, { ...fields, outcome: 'malformed', ms: deps.now() - started });
    deps.metrics?.update(channel.id, 'malformed');
    return { outcome: 'malformed', reason: error.reason };
  }
  if (!parsed) {
    log(options.logAs, { ...fields, outcome: 'ignored', ms: deps.now() - started });
    deps.metrics?.update(channel.id, 'ignored');
    return { outcome: 'ignored' };
  }
  const { dedupe } = parsed;
  const event: InboundEvent = { ...parsed.event, dedupeKey: await deps.hash(`${channel.id}\n${dedupe.basis}`) };
  // A window of 0 switches deduplication by content off: every copy is a new update.
  const claim =
    dedupe.windowMs === 0
      ? null
      : { key: event.dedupeKey, expiresAt: event.receivedAt + (dedupe.windowMs ?? UNIQUE_ID_CLAIM_MS) };
  const lease = { owner: crypto.randomUUID(), ttlMs: deps.leaseMs ?? LEASE_TTL_MS };
  const { id, held } = await claimEvent(deps.store, event, claim, deps.now(), lease).catch((error: unknown) => {
    throw new StoreError('storing an update', { cause: error });
  });
  if (held && id !== null) {
    const chat = { channel: event.channel, chatId: event.chatId };
    const taken = { held, lease, event: { id, event } };
    const processing = processChat(deps, chat, { taken, deadline: options.deadline });
    options.background(processing.catch((error) => logError('process-failed', error, fields)));
  }
  // An accepted update is logged once, with its processing ('event'); a redelivery here.
  if (id === null) log(options.logAs, { ...fields, kind: event.kind, outcome: 'duplicate', ms: deps.now() - started });
  const outcome = id === null ? 'duplicate' : 'accepted';
  deps.metrics?.update(channel.id, outcome);
  return { outcome, kind: event.kind };
}
