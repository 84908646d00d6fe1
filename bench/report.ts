/**
 * The bench's figures and how they are printed: nearest-rank percentiles, one row per target and
 * the ratios to the bare worker and to the grammY peer, in plain aligned tables that paste into a
 * note as they are; and the goals, each with its verdict.
 */
import type { ConversationTimings, WebhookTimings } from './load/jobs.ts';

export type TargetName = 'bare' | 'peer' | 'pishkhan';
export const TARGET_NAMES: Record<TargetName, string> = {
  bare: 'bare (one INSERT, 200)',
  peer: 'grammY peer',
  pishkhan: 'Pishkhan (Bale webhook)',
};

/** What the libSQL server counted during a mode. */
export interface Database {
  roundTrips: number;
  elapsedMs: number;
}

/** The processes whose CPU time the bench reads: the target (wrangler and its workerd), the libSQL server, the load process (citizens and their messenger), the bench itself (the GSB sandbox). */
export const CPU_PARTS = ['worker', 'database', 'messenger', 'bus'] as const;
export type CpuPart = (typeof CPU_PARTS)[number];
const CPU_TITLES: Record<CpuPart, string> = {
  worker: 'worker',
  database: 'libSQL server',
  messenger: 'messenger + citizens',
  bus: 'GSB sandbox',
};

/** One target's figures in a mode, with what the database and the processes spent on them. */
export type Row<T> = T & { database: Database; updates: number; cpu: Record<CpuPart, number> | null };
export type ModeResult<T> = Partial<Record<TargetName, Row<T>>>;

/** Nearest rank: the smallest value with at least p % of the values at or below it. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? `${(a / b).toFixed(2)}x` : '–');

/** Right-aligns every column but the first; the first row is the heading. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((row) => row[col]?.length ?? 0))) ?? [];
  return rows
    .map((row) => row.map((cell, col) => (col === 0 ? cell.padEnd(widths[col] ?? 0) : cell.padStart(widths[col] ?? 0))))
    .map((cells) => `  ${cells.join('   ').trimEnd()}`)
    .join('\n');
}

/** The rows of a mode: one per target measured, then the ratios of Pishkhan to the others. */
function rows<T>(
  result: ModeResult<T>,
  columns: readonly {
    title: string;
    value: (row: Row<T>) => number;
    digits?: number;
    ratio?: boolean;
  }[],
): string[][] {
  const body: string[][] = [['', ...columns.map((column) => column.title)]];
  for (const name of Object.keys(TARGET_NAMES) as TargetName[]) {
    const row = result[name];
    if (row) body.push([TARGET_NAMES[name], ...columns.map((column) => fixed(column.value(row), column.digits))]);
  }
  const ours = result.pishkhan;
  for (const other of ['bare', 'peer'] as const) {
    const theirs = result[other];
    if (!ours || !theirs) continue;
    body.push([
      `Pishkhan / ${other}`,
      ...columns.map((column) => (column.ratio === false ? '' : ratio(column.value(ours), column.value(theirs)))),
    ]);
  }
  return body;
}

const roundTripsPerUpdate = (row: { database: Database; updates: number }) => row.database.roundTrips / row.updates;
const databasePerSecond = (row: { database: Database }) => (row.database.roundTrips / row.database.elapsedMs) * 1000;
const delivery = [
  { title: 'round trips/update', value: roundTripsPerUpdate, digits: 2 },
  { title: 'db requests/s', value: databasePerSecond, digits: 0 },
  {
    title: 'lost',
    value: (row: { expected: number; received: number }) => row.expected - row.received,
    digits: 0,
    ratio: false,
  },
  { title: 'doubled', value: (row: { extra: number }) => row.extra, digits: 0, ratio: false },
] as const;

const nonOk = (row: WebhookTimings) => row.status.filter((status) => status !== 200).length;

export function closedTable(result: ModeResult<WebhookTimings>): string {
  return table(
    rows(result, [
      { title: 'updates/s', value: (row) => (row.answerMs.length / row.elapsedMs) * 1000, digits: 0 },
      { title: 'p50 ms', value: (row) => percentile(row.answerMs, 50) },
      { title: 'p99 ms', value: (row) => percentile(row.answerMs, 99) },
      { title: 'non-200', value: nonOk, digits: 0, ratio: false },
      ...delivery,
    ]),
  );
}

export function openTable(result: ModeResult<WebhookTimings>): string {
  return table(
    rows(result, [
      { title: 'p50 ms', value: (row) => percentile(row.answerMs, 50) },
      { title: 'p90 ms', value: (row) => percentile(row.answerMs, 90) },
      { title: 'p99 ms', value: (row) => percentile(row.answerMs, 99) },
      { title: 'max ms', value: (row) => percentile(row.answerMs, 100) },
      { title: 'non-200', value: nonOk, digits: 0, ratio: false },
      ...delivery,
    ]),
  );
}

export function conversationsTable(result: ModeResult<ConversationTimings>): string {
  return table(
    rows(result, [
      { title: 'conversations/s', value: (row) => (row.conversations / row.elapsedMs) * 1000 },
      { title: 'step p50 ms', value: (row) => percentile(row.stepMs, 50) },
      { title: 'step p90 ms', value: (row) => percentile(row.stepMs, 90) },
      { title: 'step p99 ms', value: (row) => percentile(row.stepMs, 99) },
      { title: 'stalled', value: (row) => row.stalled, digits: 0, ratio: false },
      ...delivery,
    ]),
  );
}

/** CPU ms per update of each process, and in all; null when it could not be read. */
export function cpuTable(result: ModeResult<{ updates: number }>): string | null {
  const measured = Object.values(result).every((row) => row?.cpu);
  if (!measured) return null;
  const perUpdate = (row: Row<unknown>, part: CpuPart) => (row.cpu?.[part] ?? Number.NaN) / row.updates;
  const total = (row: Row<unknown>) => CPU_PARTS.reduce((sum, part) => sum + perUpdate(row, part), 0);
  return table(
    rows(result, [
      ...CPU_PARTS.map((part) => ({
        title: CPU_TITLES[part],
        value: (row: Row<unknown>) => perUpdate(row, part),
        digits: 2,
      })),
      { title: 'all', value: total, digits: 2 },
    ]),
  );
}

export interface Goal {
  what: string;
  /** The measured figure, as printed. */
  measured: string;
  met: boolean;
}

/** The goals, judged on this run's figures; a goal whose targets were not all measured is left out. */
export function goals(
  open: ModeResult<WebhookTimings>,
  conversations: ModeResult<ConversationTimings>,
  slowDatabase: ModeResult<ConversationTimings>,
): Goal[] {
  const judged: Goal[] = [];
  const ours = conversations.pishkhan;
  if (ours) {
    const perUpdate = roundTripsPerUpdate(ours);
    judged.push({
      what: 'round trips per update ≤ 3 (conversations)',
      measured: fixed(perUpdate, 2),
      met: perUpdate <= 3,
    });
  }
  if (open.pishkhan && open.bare) {
    const r = percentile(open.pishkhan.answerMs, 99) / percentile(open.bare.answerMs, 99);
    judged.push({ what: 'webhook p99 at a fixed rate ≤ 1.5x bare', measured: ratio(r, 1), met: r <= 1.5 });
  }
  if (conversations.pishkhan && conversations.peer) {
    const rate = (row: ConversationTimings) => row.conversations / row.elapsedMs;
    const r = rate(conversations.pishkhan) / rate(conversations.peer);
    judged.push({ what: 'conversations/s ≥ 1.2x the grammY peer', measured: ratio(r, 1), met: r >= 1.2 });
  }
  if (slowDatabase.pishkhan && slowDatabase.peer) {
    const r = percentile(slowDatabase.pishkhan.stepMs, 50) / percentile(slowDatabase.peer.stepMs, 50);
    judged.push({ what: 'step p50 with a slow database ≤ 0.8x the grammY peer', measured: ratio(r, 1), met: r <= 0.8 });
  }
  return judged;
}
