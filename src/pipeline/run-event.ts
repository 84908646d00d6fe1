/**
 * One event through the engine, and through the bus as often as the engine asks. The engine is
 * told what it cannot know (StepContext): the chat's account, read only when a step needs it, and
 * a one-time code drawn here with its keyed hash. While a call to the bus is slow, the holder's
 * lease is renewed; a call that cannot end within a bounded run leaves the event to the sweep.
 */
import type { Channel } from '../channels/types.ts';
import { settle, step } from '../conversation/engine.ts';
import type { ConversationState, Effect, StepContext } from '../conversation/state.ts';
import type { Deps } from '../deps.ts';
import { UpstreamError } from '../errors.ts';
import { log, logError } from '../log.ts';
import { renewLease } from '../store/conversations.ts';
import { readAccount } from '../store/identities.ts';
import { claimCodeSend, claimNationalCodeCheck, mobileLimitKey } from '../store/limits.ts';
import { readWatches } from '../store/subscriptions.ts';
import type { InboundEvent, Reply, UpstreamCall, UpstreamOutcome } from '../types.ts';
import { codeHash, drawCode, typedCode } from './one-time-code.ts';
import { callsDeadline, limitKeyOf, outOfTime, type Session } from './session.ts';

/** At most two: Shahkar's match lets the chosen service make its own call in the same step. */
const MAX_CALLS_PER_EVENT = 2;
/** Most answers come sooner: "typing…" is shown only for a wait the citizen would notice. */
const TYPING_AFTER_MS = 1_000;

/** One call to the bus, for the event's log line. */
export interface CallRecord {
  service: string;
  outcome: UpstreamOutcome['kind'];
  ms: number;
}

/** What an event came to: the new state, the replies and the effects for the commit; or no time to finish it. */
export type EventRun =
  | { state: ConversationState; replies: Reply[]; effects: Effect[]; calls: CallRecord[] }
  | 'out-of-time';

/** @param callKey the event's own random id: its calls' idempotency keys derive from it */
export async function runEvent(session: Session, event: InboundEvent, callKey: string): Promise<EventRun> {
  const { deps } = session;
  // Alongside the event's own work, which may wait seconds on the bus, not before it.
  const acknowledged =
    event.kind === 'button' ? bestEffort('acknowledge', deps, event, (c) => c.acknowledge?.(event)) : null;
  try {
    const context = await stepContext(session, event);
    let result = step(session.state, event, event.receivedAt, deps.catalogue, context);
    // A step that stopped for something is run again once it is there (each is fetched at most once).
    for (let tries = 0; result.needs && tries < 2; tries++) {
      if (result.needs === 'account') {
        context.account = session.account = await readAccount(
          deps.store,
          session.chat,
          await limitKeyOf(session),
          deps.now(),
        );
      } else if (result.needs === 'watches') {
        // «اشتراک‌های من»: a round trip only for the step that lists them.
        context.watches = await readWatches(deps.store, session.chat, deps.now());
      } else {
        // A round trip only when a code is about to go: a number gets only so many, whichever chats ask.
        const mobileKey = await mobileLimitKey(deps.hash, event.contact?.phone ?? '');
        context.codeAllowed = await claimCodeSend(deps.store, mobileKey, deps.now());
      }
      result = step(session.state, event, event.receivedAt, deps.catalogue, context);
    }
    const replies = [...result.replies];
    const effects = result.effect ? [result.effect] : [];
    const calls: CallRecord[] = [];
    for (let n = 0; result.call && n < MAX_CALLS_PER_EVENT; n++) {
      const { call } = result;
      const started = deps.now();
      // Derived from the event, so reprocessing the same event reuses the key and the bus answers once.
      const outcome = await keepingLease(session, () =>
        typingWhile(deps, event, callUpstream(session, call, `pishkhan-${callKey}-${n}`)),
      );
      if (outcome === 'out-of-time') return 'out-of-time';
      const ms = deps.now() - started;
      calls.push({ service: call.service, outcome: outcome.kind, ms });
      // A call our own limit refused never went out: it has no answer time.
      deps.metrics?.inquiry(call.service, outcome.kind, outcome.kind === 'limited' ? null : ms);
      result = settle(result.state, outcome, deps.catalogue, context);
      replies.push(...result.replies);
      if (result.effect) effects.push(result.effect);
    }
    return { state: result.state, replies, effects, calls };
  } finally {
    await acknowledged;
  }
}

/** Binding is the only stage that sends or reads a one-time code. */
const NO_CODES: StepContext['codes'] = { fresh: '', freshHash: '', typedHash: null };

/** The engine's inputs besides the event; a code is drawn for every step of a binding. */
async function stepContext({ deps, chat, account, state }: Session, event: InboundEvent): Promise<StepContext> {
  const channel = deps.channels.get(chat.channel);
  const reach = { codeToPhone: channel?.codeToPhone === true, contactButton: channel?.contactButton === true };
  if (state?.at !== 'binding') return { account, ...reach, codeAllowed: null, codes: NO_CODES, watches: null };
  const fresh = drawCode();
  const typed = typedCode(event.text);
  const [freshHash, typedHash] = await Promise.all([
    codeHash(deps.hash, chat, fresh),
    typed === null ? null : codeHash(deps.hash, chat, typed),
  ]);
  return { account, ...reach, codeAllowed: null, codes: { fresh, freshHash, typedHash }, watches: null };
}

/**
 * A call to the messenger that only makes the chat look alive (a button's acknowledgement,
 * "typing…"): a failure is logged as `<what>-failed`, without personal data, and the event goes on.
 */
async function bestEffort(
  what: 'acknowledge' | 'typing',
  deps: Deps,
  event: InboundEvent,
  call: (channel: Channel) => Promise<void> | undefined,
) {
  const channel = deps.channels.get(event.channel);
  try {
    if (channel) await call(channel);
  } catch (error) {
    logError(`${what}-failed`, error, { channel: event.channel });
  }
}

/** Waits for `work`, showing "typing…" in the chat once it has taken TYPING_AFTER_MS. */
async function typingWhile<T>(deps: Deps, event: InboundEvent, work: Promise<T>): Promise<T> {
  let typing: Promise<void> | undefined;
  const timer = setTimeout(() => {
    typing = bestEffort('typing', deps, event, (c) => c.showTyping?.(event.chatId));
  }, TYPING_AFTER_MS);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
    await typing;
  }
}

/** Runs `work` (a wait on the bus), renewing the lease every third of its lifetime meanwhile. */
async function keepingLease<T>(session: Session, work: () => Promise<T>): Promise<T> {
  let renewing = Promise.resolve();
  const timer = setInterval(() => {
    // One at a time: a slow renewal is not overtaken by the next.
    renewing = renewing.then(() => renew(session));
  }, session.lease.ttlMs / 3);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** One renewal, carrying the marks the holder owes. Never rejects: a failed one is logged, the next may succeed. */
async function renew(session: Session): Promise<void> {
  const { deps, chat, lease } = session;
  const marks = session.marks.splice(0);
  try {
    const held = await renewLease(deps.store, chat, lease, { marks, now: deps.now() });
    if (!held) log('lease-lost', { channel: chat.channel });
  } catch (error) {
    session.marks.unshift(...marks);
    logError('lease-renew-failed', error, { channel: chat.channel });
  }
}

async function callUpstream(
  session: Session,
  call: UpstreamCall,
  idempotencyKey: string,
): Promise<UpstreamOutcome | 'out-of-time'> {
  const { deps } = session;
  if (outOfTime(session)) return 'out-of-time';
  const started = deps.now();
  const subject = call.subject ?? deps.catalogue.byId(call.service)?.upstream.subject?.(call.body);
  if (call.limited && subject) {
    if (!(await claimNationalCodeCheck(deps.store, await limitKeyOf(session), await deps.hash(subject), started))) {
      return { kind: 'limited' };
    }
  }
  try {
    return await deps.upstream.call({ ...call, subject }, idempotencyKey, { deadline: callsDeadline(session) });
  } catch (error) {
    const status = error instanceof UpstreamError ? error.status : null;
    logError('upstream-failed', error, { service: call.service, status, ms: deps.now() - started });
    // Cut short by the run's bound, not refused by the bus: the sweep makes the same call again.
    return outOfTime(session) ? 'out-of-time' : { kind: 'unavailable' };
  }
}
