/**
 * Processing after the webhook's answer: one processor per chat drains its pending events in
 * inbox order through the engine (and the bus), commits each step with its replies, sends them,
 * releases the chat and looks once more for events that came in meanwhile.
 */
import { settle, step } from '../conversation/engine.ts';
import type { ConversationState } from '../conversation/state.ts';
import type { Deps } from '../deps.ts';
import { UpstreamError } from '../errors.ts';
import { log, logError } from '../log.ts';
import { acquireChat, commitStep, releaseChat } from '../store/conversations.ts';
import type { ChatKey } from '../store/db.ts';
import type { StoredEvent } from '../store/inbox.ts';
import type { Reply, UpstreamCall, UpstreamOutcome } from '../types.ts';
import { deliverReplies } from './deliver.ts';

export async function processChat(deps: Deps, chat: ChatKey): Promise<void> {
  const owner = crypto.randomUUID();
  for (;;) {
    const held = await acquireChat(deps.db, chat, owner, deps.now());
    if (!held) return; // its holder looks again before letting go
    let { state, version } = held;
    for (const stored of held.pending) {
      const next = await runEvent(deps, state, stored);
      const committed = await commitStep(deps.db, { chat, owner, version, ...next, eventId: stored.id, now: deps.now() });
      log('event', {
        channel: chat.channel,
        kind: stored.event.kind,
        outcome: committed ? 'replied' : 'lease-lost',
        replies: next.replies.length,
        ms: deps.now() - stored.event.receivedAt,
      });
      if (!committed) return; // a newer holder carries on from the stored state
      state = next.state;
      version += 1;
    }
    await deliverReplies(deps, chat);
    if (!(await releaseChat(deps.db, chat, owner))) return;
  }
}

async function runEvent(
  deps: Deps,
  state: ConversationState | null,
  stored: StoredEvent,
): Promise<{ state: ConversationState; replies: Reply[] }> {
  const first = step(state, stored.event, stored.event.receivedAt, deps.catalogue);
  if (!first.call) return first;
  // Derived from the event, so reprocessing the same event reuses the key and the bus answers once.
  const outcome = await callUpstream(deps, first.call, `pishkhan-${stored.id}-0`);
  const settled = settle(first.state, outcome, deps.catalogue);
  return { state: settled.state, replies: [...first.replies, ...settled.replies] };
}

async function callUpstream(deps: Deps, call: UpstreamCall, idempotencyKey: string): Promise<UpstreamOutcome> {
  const started = deps.now();
  try {
    const outcome = await deps.upstream.call(call, idempotencyKey);
    log('upstream', { service: call.service, outcome: outcome.kind, ms: deps.now() - started });
    return outcome;
  } catch (error) {
    const status = error instanceof UpstreamError ? error.status : null;
    logError('upstream-failed', error, { service: call.service, status, ms: deps.now() - started });
    return { kind: 'unavailable' };
  }
}
