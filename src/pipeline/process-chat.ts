/**
 * Processing after the webhook's answer: the chat's holder runs its pending events, in inbox
 * order, through the engine (and the bus), commits each step with its replies and sends them, then
 * settles: lets the chat go, or keeps it and runs the events that came in meanwhile. Every round
 * trip is one batch that also extends the lease and writes what the holder owes (the marks of the
 * replies it sent, its audit rows): an update of a public service costs three, the webhook's
 * included (docs/architecture.md, "Round trips"). An event that has failed MAX_EVENT_ATTEMPTS
 * times is set aside with an apology.
 */
import { backoffDelay } from '../backoff.ts';
import type { Deps } from '../deps.ts';
import { fa } from '../i18n/fa.ts';
import { log, logError } from '../log.ts';
import {
  acquireChat,
  commitStep,
  type HeldChat,
  LEASE_TTL_MS,
  type Lease,
  settleChat,
} from '../store/conversations.ts';
import type { ChatKey } from '../store/db.ts';
import { eraseChat, sealIdentity } from '../store/identities.ts';
import { deadLetterEvent, openEvent } from '../store/inbox.ts';
import { dueRepliesQuery, type OutboxMark } from '../store/outbox.ts';
import type { InboundEvent, Reply } from '../types.ts';
import { deliverReplies } from './deliver.ts';
import { type EventRun, runEvent } from './run-event.ts';
import { limitKeyOf, openState, type Session } from './session.ts';
import { otherwiseOf, subscriptionOf } from './subscribe.ts';

export const MAX_EVENT_ATTEMPTS = 5;
/** After the first failure half a minute, then doubling: the fifth attempt comes some 8 minutes on. */
const EVENT_BACKOFF = { baseMs: 30_000, capMs: 30 * 60_000 };

export interface ProcessOptions {
  /**
   * The chat as the webhook's batch took it, with that lease and the event it stored (in hand, so
   * not opened again); absent, the processor takes the lease (the sweep).
   */
  taken?: { held: HeldChat; lease: Lease; event: { id: number; event: InboundEvent } };
  /**
   * Epoch ms by which processing must end (Workers stop `waitUntil` work 30 s after the answer):
   * an event that does not fit is left pending, for the scheduled sweep.
   */
  deadline?: number;
}

/** Holds the chat and runs its pending events until none is left (or the time given is up). */
export async function processChat(deps: Deps, chat: ChatKey, options: ProcessOptions = {}): Promise<void> {
  const lease = options.taken?.lease ?? { owner: crypto.randomUUID(), ttlMs: deps.leaseMs ?? LEASE_TTL_MS };
  const held = options.taken?.held ?? (await acquireChat(deps.store, chat, lease, deps.now()));
  if (!held) return; // its holder runs what is pending before letting go
  const session: Session = {
    deps,
    chat,
    lease,
    deadline: options.deadline,
    received: options.taken?.event ?? null,
    processing: null,
    state: null,
    lost: false,
    version: held.version,
    account: null,
    marks: [],
  };
  try {
    ({ state: session.state, lost: session.lost } = await openState(deps, chat, held.sealedState));
    await deliverReplies(deps, chat, held.due ?? [], session.marks);
    for (let pending = held.pending; ; ) {
      const outcome = pending.length > 0 ? await drain(session, pending) : 'done';
      // After a lost lease, the marks and audit rows still go.
      pending = await settle(session, { letGo: outcome !== 'done' });
      if (pending.length === 0) return;
    }
  } catch (error) {
    // Let go at once, so the next sweep can try again without waiting out the lease.
    // The event that failed waits a growing backoff, so that a chat failing over and over is tried
    // less and less often, and the sweep takes other chats first.
    const failed = session.processing;
    const defer = failed && { eventId: failed.id, until: deps.now() + backoffDelay(failed.attempts, EVENT_BACKOFF) };
    await settle(session, { letGo: true, defer }).catch((settleError) => logError('settle-failed', settleError));
    throw error;
  }
}

/**
 * Runs `pending` in order.
 * @returns 'lost' when another processor took the chat over, 'out-of-time' when the deadline came
 */
async function drain(session: Session, pending: HeldChat['pending']): Promise<'done' | 'lost' | 'out-of-time'> {
  const { deps, chat } = session;
  for (const item of pending) {
    if (item.attempts > MAX_EVENT_ATTEMPTS) {
      await deadLetterEvent(deps.store, chat, item.id, { text: fa.apology }, deps.now());
      log('event', { channel: chat.channel, outcome: 'dead-letter', attempts: item.attempts - 1 });
      deps.metrics?.event(chat.channel, 'dead-letter');
      await deliverReplies(deps, chat, await dueRepliesQuery(deps.store.db, chat, deps.now()), session.marks);
      continue;
    }
    session.processing = item;
    const event = item.id === session.received?.id ? session.received.event : await openEvent(deps.store, chat, item);
    const run = await runEvent(session, event, item.callKey);
    if (run === 'out-of-time') return 'out-of-time';
    if (session.lost) {
      run.replies.unshift({ text: fa.conversationLost });
      session.lost = false;
    }
    if (run.effects.some((effect) => effect.kind === 'erase')) {
      await erase(session, item.id, run.replies);
      continue;
    }
    const committed = await commit(session, item.id, run);
    const call = run.calls.at(-1);
    const outcome = committed ? 'replied' : 'lease-lost';
    deps.metrics?.event(chat.channel, outcome);
    // The event's one line: what came, what the bus said (its last call), and how long it all took.
    log('event', {
      channel: chat.channel,
      kind: event.kind,
      outcome,
      replies: run.replies.length,
      ...(call && { service: call.service, upstream: call.outcome, upstreamMs: call.ms, calls: run.calls.length }),
      ms: deps.now() - event.receivedAt,
    });
    if (!committed) return 'lost'; // a newer holder carries on from the stored state
    // The step's own replies are in hand: only older ones are opened again.
    const queued = committed.otherwise ? otherwiseOf(run.effects) : run.replies;
    const known = new Map(committed.queued.map((id, i) => [id, queued[i] as Reply]));
    await deliverReplies(deps, chat, committed.due, session.marks, known);
  }
  session.processing = null;
  return 'done';
}

/**
 * Saves one event's step; the session moves on to its state.
 * @returns the due replies and the ids of the step's own, or null when the lease was lost
 */
async function commit(session: Session, eventId: number, run: Exclude<EventRun, 'out-of-time'>) {
  const { deps, chat, lease } = session;
  const bound = run.effects.find((effect) => effect.kind === 'bind')?.identity;
  const attempt = run.effects.some((effect) => effect.kind === 'attempt');
  const attemptKey = attempt ? await limitKeyOf(session) : undefined;
  const marks = session.marks.splice(0);
  const committed = await commitStep(deps.store, {
    chat,
    lease,
    version: session.version,
    state: run.state,
    replies: run.replies,
    eventId,
    now: deps.now(),
    marks,
    attempt: attemptKey,
    bind: bound && (await sealIdentity(deps.store, chat, bound, await deps.hash(bound.nationalCode))),
    subscription: await subscriptionOf(deps, chat, run.effects),
  }).catch((error: unknown) => {
    session.marks.unshift(...marks);
    throw error;
  });
  if (!committed) return null;
  session.state = run.state;
  session.version += 1;
  if (session.account && (bound || attempt)) {
    const { identity, bindingAttempts } = session.account;
    session.account = { identity: bound ?? identity, bindingAttempts: bindingAttempts + (attempt ? 1 : 0) };
  }
  return committed;
}

/** «حذف اطلاعات من»: the rows go first, then the goodbye is sent directly, so that no row of it stays. */
async function erase(session: Session, eventId: number, replies: readonly Reply[]): Promise<void> {
  const { deps, chat, lease } = session;
  await eraseChat(deps.store, chat, { lastEventId: eventId, owner: lease.owner, now: deps.now() });
  log('erased', { channel: chat.channel });
  // Events after this one are new messages: they start a new conversation.
  session.state = null;
  session.version += 1;
  session.account = null;
  const channel = deps.channels.get(chat.channel);
  for (const reply of replies) {
    // Best effort: the erasure is done whether or not the citizen reads that it is.
    const sent = await channel?.send(chat.chatId, reply).catch(() => null);
    if (!sent?.ok)
      log('send-failed', { channel: chat.channel, status: sent?.status ?? null, attempts: 1, gaveUp: true });
  }
}

/** The holder's batch after a drain. @returns the events that came in meanwhile (none when it let go) */
async function settle(
  session: Session,
  { letGo, defer }: { letGo: boolean; defer?: { eventId: number; until: number } | null },
) {
  const { deps, chat, lease } = session;
  const marks: OutboxMark[] = session.marks.splice(0);
  const empty = session.state === null;
  try {
    return await settleChat(deps.store, chat, lease, {
      marks,
      now: deps.now(),
      letGo,
      empty,
      defer: defer ?? undefined,
    });
  } catch (error) {
    session.marks.unshift(...marks);
    throw error;
  }
}
