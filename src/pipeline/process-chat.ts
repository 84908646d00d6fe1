/**
 * Processing after the webhook's answer: one processor per chat drains its pending events in
 * inbox order through the engine (and the bus), commits each step with its replies, sends them,
 * releases the chat and looks once more for events that came in meanwhile. An event that has
 * failed MAX_EVENT_ATTEMPTS times is set aside with an apology.
 *
 * The engine is told what it cannot know (StepContext): the chat's bound identity and binding
 * attempts, read with the chat, and a one-time code drawn here with its keyed hash. What it
 * decides beyond replies (an attempt, an identity to keep, an erasure) is done here.
 */

import type { Channel } from '../channels/types.ts';
import { SHAHKAR } from '../conversation/binding.ts';
import { settle, step } from '../conversation/engine.ts';
import type { ConversationState, Effect, StepContext } from '../conversation/state.ts';
import type { Deps } from '../deps.ts';
import { UpstreamError } from '../errors.ts';
import { fa } from '../i18n/fa.ts';
import { log, logError } from '../log.ts';
import { acquireChat, commitStep, type HeldChat, releaseChat } from '../store/conversations.ts';
import type { ChatKey } from '../store/db.ts';
import { claimNationalCodeCheck, eraseChat, sealIdentity } from '../store/identities.ts';
import { deadLetterEvent, openEvent } from '../store/inbox.ts';
import type { DueRow } from '../store/outbox.ts';
import type { InboundEvent, Reply, UpstreamCall, UpstreamOutcome } from '../types.ts';
import { deliverReplies } from './deliver.ts';
import { codeHash, drawCode, typedCode } from './one-time-code.ts';

export const MAX_EVENT_ATTEMPTS = 5;

export async function processChat(deps: Deps, chat: ChatKey): Promise<void> {
  const owner = crypto.randomUUID();
  for (;;) {
    const held = await acquireChat(deps.store, chat, owner, deps.now());
    if (!held) return; // its holder looks again before letting go
    let more = false;
    try {
      const drained = await drain(deps, chat, owner, held);
      if (drained) await deliverReplies(deps, chat, drained.due);
    } finally {
      // Also after a failure, so the next sweep can try again without waiting out the lease.
      more = await releaseChat(deps.store, chat, owner);
    }
    if (!more) return;
  }
}

/**
 * @returns null when the lease was lost to another processor; else the due replies as the last
 * commit read them (undefined when something was written after it, so delivery reads them again).
 */
async function drain(deps: Deps, chat: ChatKey, owner: string, held: HeldChat): Promise<{ due?: DueRow[] } | null> {
  let { state, version, identity, bindingAttempts } = held;
  let due: DueRow[] | undefined;
  for (const pending of held.pending) {
    if (pending.attempts > MAX_EVENT_ATTEMPTS) {
      await deadLetterEvent(deps.store, chat, pending.id, { text: fa.apology }, deps.now());
      due = undefined;
      log('event', { channel: chat.channel, outcome: 'dead-letter', attempts: pending.attempts - 1 });
      continue;
    }
    const event = await openEvent(deps.store, chat, pending);
    // Alongside the event's own work, which may wait seconds on the bus, not before it.
    const acknowledged = event.kind === 'button' ? courtesy(deps, event, (c) => c.acknowledge?.(event)) : null;
    const context = await stepContext(deps, chat, event, { identity, bindingAttempts });
    const next = await runEvent(deps, chat, state, event, pending.id, context);
    await acknowledged;
    if (next.effects.some((effect) => effect.kind === 'erase')) {
      await erase(deps, chat, pending.id, next.replies);
      // The chat's rows are gone: events after this one start a new conversation once it is released.
      return {};
    }
    const bound = next.effects.find((effect) => effect.kind === 'bind')?.identity;
    const attempt = next.effects.some((effect) => effect.kind === 'attempt');
    const read = await commitStep(deps.store, {
      chat,
      owner,
      version,
      state: next.state,
      replies: next.replies,
      eventId: pending.id,
      now: deps.now(),
      attempt,
      bind: bound && (await sealIdentity(deps.store, chat, bound, await deps.hash(bound.nationalCode))),
    });
    log('event', {
      channel: chat.channel,
      kind: event.kind,
      outcome: read ? 'replied' : 'lease-lost',
      replies: next.replies.length,
      ms: deps.now() - event.receivedAt,
    });
    if (!read) return null; // a newer holder carries on from the stored state
    due = read;
    state = next.state;
    version += 1;
    identity = bound ?? identity;
    if (attempt) bindingAttempts += 1;
  }
  return { due };
}

/** The engine's inputs besides the event; a code is drawn for every step, as it costs next to nothing. */
async function stepContext(
  deps: Deps,
  chat: ChatKey,
  event: InboundEvent,
  known: Pick<StepContext, 'identity' | 'bindingAttempts'>,
): Promise<StepContext> {
  const fresh = drawCode();
  const typed = typedCode(event.text);
  const [freshHash, typedHash] = await Promise.all([
    codeHash(deps.hash, chat, fresh),
    typed === null ? null : codeHash(deps.hash, chat, typed),
  ]);
  const codeToPhone = deps.channels.get(chat.channel)?.codeToPhone === true;
  return { ...known, codeToPhone, codes: { fresh, freshHash, typedHash } };
}

/** «حذف اطلاعات من»: the rows go first, then the goodbye is sent directly, so that no row of it stays. */
async function erase(deps: Deps, chat: ChatKey, eventId: number, replies: readonly Reply[]): Promise<void> {
  await eraseChat(deps.store, chat, eventId);
  log('erased', { channel: chat.channel });
  const channel = deps.channels.get(chat.channel);
  for (const reply of replies) {
    // Best effort: the erasure is done whether or not the citizen reads that it is.
    const sent = await channel?.send(chat.chatId, reply).catch(() => null);
    if (!sent?.ok)
      log('send-failed', { channel: chat.channel, status: sent?.status ?? null, attempts: 1, gaveUp: true });
  }
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

/** At most two: Shahkar's match lets the chosen service make its own call in the same step. */
const MAX_CALLS_PER_EVENT = 2;

/** One event through the engine, and through the bus as often as the engine asks. */
async function runEvent(
  deps: Deps,
  chat: ChatKey,
  state: ConversationState | null,
  event: InboundEvent,
  eventId: number,
  context: StepContext,
): Promise<{ state: ConversationState; replies: Reply[]; effects: Effect[] }> {
  let result = step(state, event, event.receivedAt, deps.catalogue, context);
  const replies = [...result.replies];
  const effects = result.effect ? [result.effect] : [];
  for (let n = 0; result.call && n < MAX_CALLS_PER_EVENT; n++) {
    const typing = courtesy(deps, event, (c) => c.showTyping?.(event.chatId));
    // Derived from the event, so reprocessing the same event reuses the key and the bus answers once.
    const outcome = await callUpstream(deps, chat, result.call, `pishkhan-${eventId}-${n}`);
    await typing;
    result = settle(result.state, outcome, deps.catalogue, context);
    replies.push(...result.replies);
    if (result.effect) effects.push(result.effect);
  }
  return { state: result.state, replies, effects };
}

async function callUpstream(
  deps: Deps,
  chat: ChatKey,
  call: UpstreamCall,
  idempotencyKey: string,
): Promise<UpstreamOutcome> {
  const started = deps.now();
  const subject = call.subject ?? deps.catalogue.byId(call.service)?.upstream.subject?.(call.body);
  // Shahkar says whose number is whose: the per-national-code limit keeps it from being probed.
  if (call.service === SHAHKAR.id && subject) {
    if (!(await claimNationalCodeCheck(deps.store, chat, await deps.hash(subject), started))) {
      log('upstream', { service: call.service, outcome: 'limited', ms: 0 });
      return { kind: 'limited' };
    }
  }
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
