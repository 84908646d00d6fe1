/**
 * The bench's figures and how they are printed: nearest-rank percentiles, one row per target, in
 * plain aligned tables, so that the output can be pasted into a note as it is.
 */
import type { GapBotMessage } from '../dev/gap-sandbox.ts';
import type { LoadResult } from './load-generator.ts';
import { pairReplies } from './replies.ts';

interface Figures {
  /** Answered requests (any status) per second of the run's wall time. */
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** Requests that got no 200. */
  errors: number;
}

/** Nearest rank: the smallest value with at least p % of the values at or below it. */
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function figures(values: readonly number[], elapsedMs: number, errors = 0): Figures {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    perSecond: (values.length / elapsedMs) * 1000,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    errors,
  };
}

function answerFigures(load: LoadResult): Figures {
  return figures(load.answerMs, load.elapsedMs, load.status.length - answered(load));
}

export const answered = (run: LoadResult) => run.status.filter((status) => status === 200).length;

/** Each kind of failure with its count, e.g. `500 {"error":"internal error"} x2`; null when there was none. */
function failures(run: LoadResult): string | null {
  const counts = new Map<string, number>();
  for (const failure of run.failure) if (failure) counts.set(failure, (counts.get(failure) ?? 0) + 1);
  return counts.size === 0 ? null : [...counts].map(([failure, n]) => `${failure} x${n}`).join('; ');
}

/** Prints the two tables. @returns the problems seen (requests without a 200, replies missing or doubled). */
export function printReport(
  baselineRun: LoadResult,
  pishkhanRun: LoadResult,
  replies: readonly GapBotMessage[],
): string[] {
  const problems: string[] = [];
  const base = answerFigures(baselineRun);
  const ours = answerFigures(pishkhanRun);
  for (const [name, run] of [
    ['baseline requests', baselineRun],
    ['Pishkhan webhooks', pishkhanRun],
  ] as const) {
    const failed = failures(run);
    if (failed) problems.push(`${run.status.length - answered(run)} ${name} got no 200 (${failed})`);
  }
  console.log('\nWebhook answer time: the HTTP response only (Pishkhan processes the update after it, via waitUntil)');
  const row = (name: string, f: Figures) => [
    name,
    f.perSecond.toFixed(0),
    ms(f.p50),
    ms(f.p99),
    ms(f.max),
    String(f.errors),
  ];
  const versus = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
  console.log(
    table([
      ['', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'non-200'],
      row('baseline: Hono route, one INSERT', base),
      row('Pishkhan: Gap webhook', ours),
      [
        'Pishkhan / baseline',
        versus(ours.perSecond, base.perSecond),
        versus(ours.p50, base.p50),
        versus(ours.p99, base.p99),
      ],
    ]),
  );

  const pairing = pairReplies(pishkhanRun, replies);
  if (pairing.waiting > 0)
    problems.push(`${pairing.waiting} requests' replies were not all recorded (processing stalled or too slow)`);
  if (pairing.extra > 0)
    problems.push(`${pairing.extra} replies more than one per request: sent twice, or pairing by order is off`);
  const paired = pairing.endToEndMs.length;
  console.log(
    `\nEnd to end: webhook sent -> its reply recorded by the Gap sandbox (same ms clock), ${paired} of ${pishkhanRun.status.length} requests`,
  );
  if (pairing.leftOut > 0)
    console.log(`  left out: the ${pairing.leftOut} requests of chats where a webhook got no 200`);
  if (paired === 0) return problems;
  const firstSent = Math.min(...pishkhanRun.sentAt);
  const lastAnswered = Math.max(...pishkhanRun.sentAt.map((sent, i) => sent + (pishkhanRun.answerMs[i] ?? 0)));
  const lastRecorded = Math.max(...replies.map((reply) => Date.parse(reply.time)));
  const e2e = figures(pairing.endToEndMs, lastRecorded - firstSent);
  const whole = (value: number) => value.toFixed(0);
  console.log(
    table([
      ['', 'replies/s', 'p50 ms', 'p99 ms', 'max ms'],
      ['Pishkhan', e2e.perSecond.toFixed(0), whole(e2e.p50), whole(e2e.p99), whole(e2e.max)],
    ]),
  );
  const drained = (lastRecorded - lastAnswered) / 1000;
  console.log(
    `  the last reply was recorded ${Math.abs(drained).toFixed(1)} s ${drained < 0 ? 'before' : 'after'} the last webhook answer`,
  );
  return problems;
}

/** Right-aligns every column but the first; the first row is the heading. */
function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => row[col]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0))).join('   '),
    )
    .map((line) => `  ${line.trimEnd()}`)
    .join('\n');
}

const ms = (value: number) => value.toFixed(1);
