/**
 * The scheduled sweep (a cron trigger on Workers, a timer on Node and Deno): finishes events and
 * replies left behind (a crash after the webhook's answer, a reply waiting out a backoff), anchors
 * the audit log's chains, moves a batch of sealed values to the current key, purges what is past
 * its retention, and logs the counts an operator watches.
 */
import type { Deps } from '../deps.ts';
import { log, logError } from '../log.ts';
import { activityFields, recentActivity } from '../store/activity.ts';
import { flushAudit, formatAnchors, headsToAnchor } from '../store/audit.ts';
import { backlog, chatsWithWork, purgeExpired } from '../store/maintenance.ts';
import { type ResealCursor, resealBatch } from '../store/reseal.ts';
import { eachAtMost } from './at-most.ts';
import { checkSubscriptions } from './notices.ts';
import { processChat } from './process-chat.ts';

/** An event younger than this is still its webhook's to process. */
const STALE_AFTER_MS = 2_000;
/** Chats per run, and how many are processed at once. */
const CHATS_PER_RUN = 200;
const CONCURRENCY = 4;
/** Sealed values moved to the current key per run (the rest wait for the next run, or `npm run reseal`). */
const RESEAL_PER_RUN = 100;
/** The updates the run's line counts: those received in the minute before it (the cron's interval on Workers). */
const ACTIVITY_WINDOW_MS = 60_000;
/** Where this isolate's next run goes on resealing, past values no key opens. */
let resealCursor: ResealCursor = {};

export async function sweep(deps: Deps): Promise<void> {
  const started = deps.now();
  const chats = await chatsWithWork(deps.store, started - STALE_AFTER_MS, started, CHATS_PER_RUN);
  await eachAtMost(chats, CONCURRENCY, (chat) =>
    processChat(deps, chat).catch((error) => logError('process-failed', error, { channel: chat.channel })),
  );
  // Notices the citizens asked for: a bounded batch of the subscriptions due (docs/notices.md).
  const watched = await checkSubscriptions(deps).catch((error) => logError('notice-checks-failed', error));
  // Audit rows of work that ended without a batch of its own to carry them; then the heads of the
  // chains written since the last run, anchored outside the database in this log line.
  await flushAudit(deps.store).catch((error) => logError('audit-flush-failed', error));
  const anchored = await headsToAnchor(deps.store).catch((error) => logError('audit-anchor-failed', error));
  if (anchored && anchored.heads.length > 0) log('audit-anchor', { heads: formatAnchors(anchored.heads) });
  // With the current key alone, nothing can move (a value under another key opens with none): the
  // sealed columns are scanned only while a rotation is under way.
  const resealed = deps.store.sealer.rotating ? await resealBatch(deps.store, RESEAL_PER_RUN, resealCursor) : null;
  if (resealed) resealCursor = resealed.cursor;
  const purged = await purgeExpired(deps.store, deps.now());
  // Workers keep no counters across isolates: the line says what the rows say was done lately.
  // Both reads at once: neither waits on the other.
  const window = { from: started - ACTIVITY_WINDOW_MS, to: started };
  const [counts, activity] = await Promise.all([
    backlog(deps.store, deps.now()),
    recentActivity(deps.store, window, anchored ? anchored.rowids : null).catch((error) =>
      logError('activity-failed', error),
    ),
  ]);
  log('sweep', {
    chats: chats.length,
    ...counts,
    ...(activity && activityFields(activity)),
    ...(resealed && { resealed: resealed.resealed, unopenable: resealed.unopenable }),
    purgedEvents: purged.events,
    purgedReplies: purged.replies,
    purgedClaims: purged.claims,
    purgedStates: purged.states,
    purgedChats: purged.chats,
    purgedAuditRows: purged.auditRows,
    purgedLimits: purged.limits,
    purgedSubscriptions: purged.subscriptions,
    subscriptionsChecked: watched?.checked ?? 0,
    noticesQueued: watched?.notices ?? 0,
    ms: deps.now() - started,
  });
}
