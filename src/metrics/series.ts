/**
 * What the pipeline counts in a long-lived process (the Node and Deno entries serve it on
 * /metrics): updates received, events processed, calls to the bus and how long they took. The
 * pipeline reports through the `Metrics` interface, which Deps carries only where it is served.
 */
import type { Family } from './exposition.ts';
import { Counter, Histogram } from './registry.ts';

/** What the pipeline reports; every argument is one of the system's own ids, never personal data. */
export interface Metrics {
  /** An update that reached a messenger's webhook or stream, as ingest classed it. */
  update(messenger: string, outcome: string): void;
  /** An event processed, as its `event` log line says (replied, lease-lost, dead-letter). */
  event(messenger: string, outcome: string): void;
  /** A logical call to the bus (retries included) and its outcome; `ms` is null when it never went out. */
  inquiry(service: string, outcome: string, ms: number | null): void;
}

/** Seconds: most answers of the bus take tens of milliseconds, a slow one seconds, the client gives up at 20. */
export const ANSWER_TIME_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20];

export class PipelineMetrics implements Metrics {
  private readonly updates = new Counter(
    'pishkhan_updates_total',
    'Updates received, by messenger and outcome (accepted, duplicate, ignored, malformed, unsupported-media-type).',
  );
  private readonly events = new Counter(
    'pishkhan_events_total',
    'Events processed, by messenger and outcome (replied, lease-lost, dead-letter).',
  );
  private readonly inquiries = new Counter(
    'pishkhan_inquiries_total',
    'Calls to the bus, by service and outcome (ok, not-found, rejected, unavailable, limited).',
  );
  private readonly answerTime = new Histogram(
    'pishkhan_upstream_duration_seconds',
    'How long the bus took to answer a call, retries included, by service.',
    ANSWER_TIME_BUCKETS,
  );

  update(messenger: string, outcome: string): void {
    this.updates.inc({ messenger, outcome });
  }

  event(messenger: string, outcome: string): void {
    this.events.inc({ messenger, outcome });
  }

  inquiry(service: string, outcome: string, ms: number | null): void {
    this.inquiries.inc({ service, outcome });
    if (ms !== null) this.answerTime.observe({ service }, ms / 1000);
  }

  families(): Family[] {
    return [this.updates.collect(), this.events.collect(), this.inquiries.collect(), this.answerTime.collect()];
  }
}
