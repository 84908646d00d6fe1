/**
 * Processing after the webhook's answer: one processor per chat drains its pending events in
 * inbox order through the engine (and the bus), commits each step with its replies, sends them,
 * releases the chat and looks once more for events that came in meanwhile. An event that has
 * failed MAX_EVENT_ATTEMPTS times is set aside with an apology.
 */

import type { Channel } from '../channels/types.ts';
import { settle, step } from '../conversation/engine.ts';
import type { ConversationState } from '../conversation/state.ts';
import type { Deps } from '../deps.ts';
import { UpstreamError } from '../errors.ts';
import { fa } from '../i18n/fa.ts';
import { log, logError } from '../log.ts';
import { acquireChat, commitStep, type HeldChat, releaseChat } from '../store/conversations.ts';
import type { ChatKey } from '../store/db.ts';
import { deadLetterEvent, openEvent } from '../store/inbox.ts';
import type { InboundEvent, Reply, UpstreamCall, UpstreamOutcome } from '../types.ts';
import { deliverReplies } from './deliver.ts';

export const MAX_EVENT_ATTEMPTS = 5;

export async function processChat(deps: Deps, chat: ChatKey): Promise<void> {
  const owner = crypto.randomUUID();
  for (;;) {
    const held = await acquireChat(deps.store, chat, owner, deps.now());
    if (!held) return; // its holder looks again before letting go
    let more = false;
    try {
      if (await drain(deps, chat, owner, held)) await deliverReplies(deps, chat);
    } finally {
      // Also after a failure, so the next sweep can try again without waiting out the lease.
      more = await releaseChat(deps.store, chat, owner);
    }
    if (!more) return;
  }
}

/** @returns false when the lease was lost to another processor. */
async function drain(deps: Deps, chat: ChatKey, owner: string, held: HeldChat): Promise<boolean> {
  let { state, version } = held;
  for (const pending of held.pending) {
    if (pending.attempts > MAX_EVENT_ATTEMPTS) {
      await deadLetterEvent(deps.store, chat, pending.id, { text: fa.apology }, deps.now());
      log('event', { channel: chat.channel, outcome: 'dead-letter', attempts: pending.attempts - 1 });
      continue;
    }
    const event = await openEvent(deps.store, chat, pending);
    // Alongside the event's own work, which may wait seconds on the bus, not before it.
    const acknowledged = event.kind === 'button' ? courtesy(deps, event, (c) => c.acknowledge?.(event)) : null;
    const next = await runEvent(deps, state, event, pending.id);
    await acknowledged;
    const committed = await commitStep(deps.store, {
      chat,
      owner,
      version,
      ...next,
      eventId: pending.id,
      now: deps.now(),
    });
    log('event', {
      channel: chat.channel,
      kind: event.kind,
      outcome: committed ? 'replied' : 'lease-lost',
      replies: next.replies.length,
      ms: deps.now() - event.receivedAt,
    });
    if (!committed) return false; // a newer holder carries on from the stored state
    state = next.state;
    version += 1;
  }
  return true;
}

/**
 * A courtesy call to the messenger (a button's acknowledgement, "typing…"). Best effort: a failure
 * is logged without personal data, and the event goes on.
 */
async function courtesy(deps: Deps, event: InboundEvent, call: (channel: Channel) => Promise<void> | undefined) {
  const channel = deps.channels.get(event.channel);
  try {
    if (channel) await call(channel);
  } catch (error) {
    logError('courtesy-failed', error, { channel: event.channel });
  }
}

async function runEvent(
  deps: Deps,
  state: ConversationState | null,
  event: InboundEvent,
  eventId: number,
): Promise<{ state: ConversationState; replies: Reply[] }> {
  const first = step(state, event, event.receivedAt, deps.catalogue);
  if (!first.call) return first;
  const typing = courtesy(deps, event, (c) => c.showTyping?.(event.chatId));
  // Derived from the event, so reprocessing the same event reuses the key and the bus answers once.
  const outcome = await callUpstream(deps, first.call, `pishkhan-${eventId}-0`);
  await typing;
  const settled = settle(first.state, outcome, deps.catalogue);
  return { state: settled.state, replies: [...first.replies, ...settled.replies] };
}

async function callUpstream(deps: Deps, call: UpstreamCall, idempotencyKey: string): Promise<UpstreamOutcome> {
  const started = deps.now();
  const subject = deps.catalogue.byId(call.service)?.upstream.subject?.(call.body);
  try {
    const outcome = await deps.upstream.call({ ...call, subject }, idempotencyKey);
    log('upstream', { service: call.service, outcome: outcome.kind, ms: deps.now() - started });
    return outcome;
  } catch (error) {
    const status = error instanceof UpstreamError ? error.status : null;
    logError('upstream-failed', error, { service: call.service, status, ms: deps.now() - started });
    return { kind: 'unavailable' };
  }
}
