/**
 * A scrape of /metrics (served by the Node and Deno hosts): the counters the process kept, and the
 * gauges read at scrape time, from the database in the sweep's own one batch (inbox lag, backlog,
 * dead letters) and from the circuit breakers in memory.
 */
import type { Deps } from '../deps.ts';
import { logError } from '../log.ts';
import { exposition, type Family } from '../metrics/exposition.ts';
import type { PipelineMetrics } from '../metrics/series.ts';
import { backlog } from '../store/maintenance.ts';
import type { CircuitState } from '../upstream/breaker.ts';

/** Half-open between the two: a probe may go, or is on its way. */
const BREAKER_VALUE: Record<CircuitState, number> = { closed: 0, 'half-open': 0.5, open: 1 };

const gauge = (name: string, help: string, samples: Family['samples']): Family => ({
  name,
  help,
  type: 'gauge',
  samples,
});

/** The whole exposition; a database that does not answer leaves its gauges out and says so. */
export async function scrape(deps: Deps, metrics: PipelineMetrics): Promise<string> {
  const counts = await backlog(deps.store, deps.now()).catch((error: unknown) => {
    logError('metrics-backlog-failed', error);
    return null;
  });
  // Every service offered, closed until called, and any other the breakers know (the identity check).
  const circuits = new Map<string, CircuitState>(deps.catalogue.services.map((service) => [service.id, 'closed']));
  for (const [service, state] of deps.upstream.circuits?.() ?? []) circuits.set(service, state);
  const families = [
    ...metrics.families(),
    gauge('pishkhan_database_up', 'Whether the database answered this scrape (1) or not (0).', [
      { labels: {}, value: counts ? 1 : 0 },
    ]),
    gauge(
      'pishkhan_breaker_state',
      'Circuit breaker per service: 0 closed, 0.5 half-open (a probe may go), 1 open (failing fast).',
      [...circuits].map(([service, state]) => ({ labels: { service }, value: BREAKER_VALUE[state] })),
    ),
  ];
  if (counts) {
    families.push(
      gauge('pishkhan_inbox_lag_seconds', 'Age of the oldest event not processed yet (0 when none waits).', [
        { labels: {}, value: counts.inboxLagMs / 1000 },
      ]),
      gauge('pishkhan_inbox_pending', 'Events stored and not processed yet.', [
        { labels: {}, value: counts.pendingEvents },
      ]),
      gauge('pishkhan_outbox_pending', 'Replies waiting to be sent, due now or after a backoff.', [
        { labels: {}, value: counts.pendingReplies },
      ]),
      gauge('pishkhan_outbox_due', 'Replies waiting to be sent that are due now.', [
        { labels: {}, value: counts.dueReplies },
      ]),
      gauge('pishkhan_dead_letters', 'Events and replies set aside for an operator (npm run replay).', [
        { labels: { kind: 'event' }, value: counts.deadEvents },
        { labels: { kind: 'reply' }, value: counts.deadReplies },
      ]),
    );
  }
  return exposition(families);
}
