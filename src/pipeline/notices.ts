/**
 * The scheduled run's check of the subscriptions due (docs/notices.md), through the same signed
 * client as any inquiry: a notice is queued only when an id not seen before appears (held until
 * 08:00 Tehran time at night), and renewal is asked for a week before the end.
 */
import { subscriptionButton } from '../conversation/keyboards.ts';
import { daysLeft, watchedIds } from '../conversation/notices.ts';
import type { Deps } from '../deps.ts';
import { UpstreamError } from '../errors.ts';
import { faNotices } from '../i18n/fa-notices.ts';
import { log, logError } from '../log.ts';
import type { PersonalService } from '../services/types.ts';
import type { ChatKey } from '../store/db.ts';
import { sealReply } from '../store/outbox.ts';
import {
  claimDue,
  type DueSubscription,
  dropClaimed,
  finishCheck,
  RENEWAL_ASKED_BEFORE_MS,
} from '../store/subscriptions.ts';
import type { Reply, UpstreamOutcome } from '../types.ts';
import { eachAtMost } from './at-most.ts';
import { HOUR_MS, nextCheckAt, sendableAt, tehranDay } from './notice-schedule.ts';
import { processChat } from './process-chat.ts';
import { seenHashes } from './subscribe.ts';

/** Subscriptions checked per scheduled run (one a minute on Workers): 28,800 a day at most. */
export const CHECKS_PER_RUN = 20;
/** Calls to the bus at once within a run. */
const CHECK_CONCURRENCY = 2;
/** A check the bus did not answer is tried again this much later (its day's key is reused). */
const RETRY_AFTER_MS = HOUR_MS;

/**
 * Claims a bounded batch of due subscriptions and checks each; a notice that may go now is
 * delivered before the run ends, one held for the morning by the run that finds it due.
 */
export async function checkSubscriptions(deps: Deps): Promise<{ checked: number; notices: number }> {
  const owner = crypto.randomUUID();
  const due = await claimDue(deps.store, owner, deps.now(), CHECKS_PER_RUN);
  const deliverNow = new Map<string, ChatKey>();
  let notices = 0;
  await eachAtMost(due, CHECK_CONCURRENCY, async (subscription) => {
    try {
      const queued = await checkOne(deps, subscription, owner);
      notices += queued.notices;
      if (queued.sendNow) deliverNow.set(`${subscription.chat.channel}:${subscription.chat.chatId}`, subscription.chat);
    } catch (error) {
      // Its claim lapses and a later run checks it again.
      logError('notice-check-failed', error, { service: subscription.service });
    }
  });
  for (const chat of deliverNow.values()) {
    await processChat(deps, chat).catch((error) => logError('process-failed', error, { channel: chat.channel }));
  }
  return { checked: due.length, notices };
}

async function checkOne(
  deps: Deps,
  due: DueSubscription,
  owner: string,
): Promise<{ notices: number; sendNow: boolean }> {
  const now = deps.now();
  const service = deps.catalogue.byId(due.service);
  const watch = service?.watch;
  if (!due.identity || !due.answers || (service && !watch)) {
    // Its identity was erased, purged or replaced, or no key opens it: nothing can be checked for it.
    await dropClaimed(deps.store, due.id, owner);
    log('notice-check', { service: due.service, outcome: 'dropped' });
    return { notices: 0, sendNow: false };
  }
  const outcome: UpstreamOutcome | null =
    service?.identity === true ? await call(deps, service, due.answers, due) : null;
  const ids = outcome && service ? watchedIds(service, outcome) : null;
  const seen = ids && (await seenHashes(deps, due.id, ids));
  const fresh = seen ? seen.filter((hash) => !due.seen.includes(hash)).length : 0;
  const replies: Reply[] = [];
  if (fresh > 0 && watch) {
    const stop = subscriptionButton(faNotices.cancelButton, 'stop', due.id);
    replies.push({ text: watch.news(fresh, due.answers), inline: [[stop]] });
  }
  const askRenewal = !due.renewalAsked && due.expiresAt - now <= RENEWAL_ASKED_BEFORE_MS && watch !== undefined;
  if (askRenewal && watch) {
    const text = faNotices.renewAsk(watch.what(due.answers), daysLeft(due.expiresAt, now));
    const buttons = [
      subscriptionButton(faNotices.renewButton, 'renew', due.id),
      subscriptionButton(faNotices.cancelButton, 'stop', due.id),
    ];
    replies.push({ text, inline: [buttons] });
  }
  const sendAt = sendableAt(now);
  await finishCheck(
    deps.store,
    due,
    owner,
    {
      seen,
      // No answer from the bus: the same day's check again later (a service switched off: tomorrow).
      nextCheckAt: outcome?.kind === 'unavailable' ? now + RETRY_AFTER_MS : nextCheckAt(due.id, now),
      notices: await Promise.all(replies.map((reply) => sealReply(deps.store, due.chat, reply))),
      sendAt,
      renewalAsked: askRenewal,
    },
    now,
  );
  log('notice-check', {
    service: due.service,
    outcome: outcome?.kind ?? 'service-off',
    fresh,
    renewal: askRenewal,
    heldMs: sendAt - now,
  });
  return { notices: replies.length, sendNow: replies.length > 0 && sendAt <= now };
}

/** The check's call, with an idempotency key per subscription and Tehran day. */
async function call(
  deps: Deps,
  service: PersonalService,
  answers: NonNullable<DueSubscription['answers']>,
  due: DueSubscription,
): Promise<UpstreamOutcome> {
  const { operation, pid } = service.upstream;
  const body = service.upstream.body(answers, due.identity as NonNullable<DueSubscription['identity']>);
  const started = deps.now();
  try {
    return await deps.upstream.call(
      { service: service.id, operation, pid, body, subject: service.upstream.subject?.(body) },
      `pishkhan-notice-${due.id}-${tehranDay(started)}`,
    );
  } catch (error) {
    const status = error instanceof UpstreamError ? error.status : null;
    logError('upstream-failed', error, { service: service.id, status, ms: deps.now() - started });
    return { kind: 'unavailable' };
  }
}
