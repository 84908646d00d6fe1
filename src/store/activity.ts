/**
 * What the scheduled run says was done lately, derived from rows already stored, for Workers,
 * where no isolate sees another's counters: updates stored per messenger and status, and calls
 * to the bus per service and outcome with their answer times. One batch, read by the run only.
 */
import { sql } from 'drizzle-orm';
import type { Store } from './db.ts';

export interface Activity {
  /** Inbox rows received in the window, by messenger then status (pending, done, dead). */
  updates: Map<string, Map<string, number>>;
  /** Calls whose last attempt was among the audit rows given, by service then outcome. */
  calls: Map<string, Map<string, number>>;
  /** Those last attempts' answer times, by service: mean and longest, in ms. */
  answerMs: Map<string, { mean: number; max: number }>;
}

/** A call's outcome by its last attempt's status, in the words the pipeline's own counts use. */
function outcomeOf(status: number | null): string {
  if (status === 200) return 'ok';
  if (status === 404) return 'not-found';
  if (status === 400) return 'rejected';
  return 'unavailable';
}

const add = (into: Map<string, Map<string, number>>, key: string, sub: string, n: number) => {
  const inner = into.get(key) ?? new Map<string, number>();
  inner.set(sub, (inner.get(sub) ?? 0) + n);
  into.set(key, inner);
};

/**
 * @param window the inbox's receipt times counted, `from` included, `to` not
 * @param auditRowids the audit rows counted (the anchoring's: written since the previous run), or none
 */
export async function recentActivity(
  { db }: Pick<Store, 'db'>,
  window: { from: number; to: number },
  auditRowids: { after: number; upTo: number } | null,
): Promise<Activity> {
  const { after, upTo } = auditRowids ?? { after: 0, upTo: 0 };
  const [updates, calls] = await db.batch([
    // Spelt out, so that the (status, received_at) index serves each status.
    db.all<{ channel: string; status: string; n: number }>(sql`select channel, status, count(*) as n from inbox
      where status in ('pending', 'done', 'dead') and received_at >= ${window.from} and received_at < ${window.to}
      group by channel, status`),
    // A logical call's attempts share its idempotency key; its last attempt says how it ended.
    db.all<{ service: string; status: number | null; n: number; ms: number; max_ms: number }>(sql`select service,
        status, count(*) as n, sum(latency_ms) as ms, max(latency_ms) as max_ms
      from audit_log where rowid in (select max(rowid) from audit_log where rowid > ${after} and rowid <= ${upTo}
        group by idempotency_key)
      group by service, status`),
  ]);
  const activity: Activity = { updates: new Map(), calls: new Map(), answerMs: new Map() };
  for (const row of updates) add(activity.updates, row.channel, row.status, row.n);
  const totals = new Map<string, { n: number; ms: number; max: number }>();
  for (const row of calls) {
    add(activity.calls, row.service, outcomeOf(row.status), row.n);
    const total = totals.get(row.service) ?? { n: 0, ms: 0, max: 0 };
    totals.set(row.service, { n: total.n + row.n, ms: total.ms + row.ms, max: Math.max(total.max, row.max_ms) });
  }
  for (const [service, { n, ms, max }] of totals) activity.answerMs.set(service, { mean: Math.round(ms / n), max });
  return activity;
}

/**
 * The activity as the run's log line carries it (flat fields): `updates` `gap:done=3 bale:pending=1`,
 * `calls` `postcode:ok=2 bill:not-found=1`, `upstreamMs` `postcode=120/340` (mean/longest), each
 * sorted, empty when there was none.
 */
export function activityFields({ updates, calls, answerMs }: Activity) {
  const pairs = (counts: Map<string, Map<string, number>>) =>
    [...counts]
      .flatMap(([key, inner]) => [...inner].map(([sub, n]) => `${key}:${sub}=${n}`))
      .sort()
      .join(' ');
  const times = [...answerMs]
    .map(([service, { mean, max }]) => `${service}=${mean}/${max}`)
    .sort()
    .join(' ');
  return { updates: pairs(updates), calls: pairs(calls), upstreamMs: times };
}
