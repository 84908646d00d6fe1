/**
 * Counters and histograms kept in the process's memory, by label set, each collected as a family
 * for the exposition. Labels are the system's own ids (messengers, services, outcomes), never a
 * chat's, so a family stays a handful of series.
 */
import type { Family, Labels, Sample } from './exposition.ts';

/** One key per label set, whatever order its labels were given in. */
const keyOf = (labels: Labels) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));

export class Counter {
  private readonly series = new Map<string, { labels: Labels; value: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels, by = 1): void {
    const key = keyOf(labels);
    const found = this.series.get(key);
    if (found) found.value += by;
    else this.series.set(key, { labels, value: by });
  }

  collect(): Family {
    return { name: this.name, help: this.help, type: 'counter', samples: [...this.series.values()] };
  }
}

export class Histogram {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  private readonly bounds: readonly number[];

  /** @param bounds the buckets' upper bounds, ascending; `+Inf` is always added */
  constructor(
    readonly name: string,
    readonly help: string,
    bounds: readonly number[],
  ) {
    this.bounds = [...bounds].sort((a, b) => a - b);
  }

  observe(labels: Labels, observed: number): void {
    const key = keyOf(labels);
    let found = this.series.get(key);
    if (!found) {
      found = { labels, counts: this.bounds.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, found);
    }
    // Kept per bucket; made cumulative when collected.
    const index = this.bounds.findIndex((bound) => observed <= bound);
    if (index >= 0) found.counts[index] = (found.counts[index] ?? 0) + 1;
    found.sum += observed;
    found.count += 1;
  }

  collect(): Family {
    const samples: Sample[] = [];
    for (const { labels, counts, sum, count } of this.series.values()) {
      let cumulative = 0;
      this.bounds.forEach((bound, i) => {
        cumulative += counts[i] ?? 0;
        samples.push({ suffix: '_bucket', labels: { ...labels, le: String(bound) }, value: cumulative });
      });
      samples.push({ suffix: '_bucket', labels: { ...labels, le: '+Inf' }, value: count });
      samples.push({ suffix: '_sum', labels, value: sum });
      samples.push({ suffix: '_count', labels, value: count });
    }
    return { name: this.name, help: this.help, type: 'histogram', samples };
  }
}
