/**
 * `npm run bench`: how fast Pishkhan's Gap webhook answers under concurrent load, against a
 * baseline on the same workerd (a bare Hono route that does one INSERT into the same libSQL
 * server), and how long a citizen waits for the reply. Starts the local stack and the baseline
 * worker on free ports of 127.0.0.1, loads them one after the other from a separate process,
 * prints a table and stops everything it started, also on failure, Ctrl-C or its deadline.
 * BENCH_REQUESTS and BENCH_CONCURRENCY set the load; BENCH_SHOW_WORKER_LOG=1 shows Pishkhan's
 * wrangler output (its JSON log lines) for when a run goes wrong.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GapBotMessage } from '../dev/gap-sandbox.ts';
import { startDevWorker, startLocalStack } from '../dev/local-stack.ts';
import { LoadGenerator, type LoadResult } from './load-generator.ts';
import { awaitReplies, pairReplies } from './replies.ts';
import { answered, printReport } from './report.ts';

const WARMUP = 100;
const CHATS = 500;
const DEADLINE_MS = 5 * 60_000;
/** Kept from the deadline for the report and the stop, so that a slow run still prints what it has. */
const REPORT_MARGIN_MS = 30_000;
/** Stopping every part takes seconds; past this the process exits anyway. */
const STOP_TIMEOUT_MS = 20_000;
/** The Gap sandbox keeps its last 10 000 messages; the warm-up's replies and the run's must fit. */
const MAX_REQUESTS = 10_000 - WARMUP;
const FIRST_CHAT = 100_000;
/** The warm-up talks in chats of its own, so that every measured chat starts fresh. */
const FIRST_WARMUP_CHAT = 900_000;

interface Settings {
  requests: number;
  concurrency: number;
  /** Epoch ms by which the measuring must be done. */
  deadline: number;
}

function setting(name: string, fallback: number, max: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new Error(`${name} must be an integer from 1 to ${max}`);
  return value;
}

/** What the bench started, stopped last-in first-out. */
class Parts {
  #stops: (() => Promise<void> | void)[] = [];
  add(stop: () => Promise<void> | void): void {
    this.#stops.push(stop);
  }
  async stopAll(): Promise<void> {
    for (let stop = this.#stops.pop(); stop; stop = this.#stops.pop())
      await Promise.resolve()
        .then(stop)
        .catch(() => {});
  }
}

function header({ requests, concurrency }: Settings): string {
  const wranglerPackage = new URL('../node_modules/wrangler/package.json', import.meta.url);
  const wrangler = (JSON.parse(readFileSync(wranglerPackage, 'utf8')) as { version: string }).version;
  return [
    'Pishkhan webhook benchmark: wrangler dev (miniflare/workerd) on loopback, not production Workers',
    `  machine   ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, wrangler ${wrangler}`,
    // Other work on the machine shares the two cores with everything measured here.
    `            load average before the run ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' / ')} (1 / 5 / 15 min)`,
    `  settings  ${requests} requests (after ${WARMUP} warm-up ones, not counted) at concurrency ${concurrency} over ${CHATS} chats,`,
    '            each a form-encoded Gap text update with its own text; the baseline first, then Pishkhan',
  ].join('\n');
}

/** A warm-up at the same concurrency (connections, isolates, JIT), then the measured run. */
async function measure(
  load: LoadGenerator,
  url: string,
  name: string,
  { requests, concurrency }: Settings,
  afterWarmup: (warmup: LoadResult) => Promise<void> = async () => {},
): Promise<LoadResult> {
  console.log(`  · ${name}: ${WARMUP} warm-up requests, then ${requests}`);
  const chats = Math.min(CHATS, WARMUP);
  await afterWarmup(
    await load.run({
      url,
      concurrency,
      requests: WARMUP,
      chats,
      firstChat: FIRST_WARMUP_CHAT,
      label: `${name}-warmup`,
    }),
  );
  return load.run({ url, concurrency, requests, chats: CHATS, firstChat: FIRST_CHAT, label: name });
}

/**
 * Runs the baseline, then Pishkhan; after `abort` it goes no further than the step it is in.
 * @returns the problems seen; none means a clean run
 */
async function bench(parts: Parts, abort: AbortController, settings: Settings): Promise<string[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pishkhan-bench-'));
  parts.add(() => rmSync(dataDir, { recursive: true, force: true }));
  const load = new LoadGenerator();
  parts.add(() => load.stop());
  console.log('  · starting the local stack and the baseline worker on free ports of 127.0.0.1');
  const stack = await startLocalStack({
    dataDir,
    showWorkerLog: process.env.BENCH_SHOW_WORKER_LOG === '1',
    onWorkerExit: (code) => abort.abort(new Error(`Pishkhan's wrangler dev exited (code ${code}) during the run`)),
  });
  parts.add(() => stack.stop());
  abort.signal.throwIfAborted();
  const baseline = await startDevWorker({
    config: 'bench/wrangler.baseline.toml',
    vars: { LIBSQL_URL: stack.urls.libsql },
  });
  parts.add(() => baseline.stop());
  abort.signal.throwIfAborted();

  const baselineRun = await measure(load, `${baseline.url}/webhook`, 'baseline', settings);
  await baseline.stop(); // so that it holds no CPU or memory while Pishkhan is measured

  // The measured run starts once the warm-up's replies are in, on an empty backlog.
  let warmupLastReply = 0;
  const drainWarmup = async (warmup: LoadResult) => {
    const expected = answered(warmup);
    const replies = await awaitReplies(stack.urls.gap, 0, (got) => got.length >= expected, settings.deadline);
    warmupLastReply = replies.at(-1)?.id ?? 0;
    if (replies.length < expected)
      console.log(`  · only ${replies.length} of ${expected} warm-up replies came; measuring anyway`);
  };
  const pishkhanRun = await measure(load, stack.webhookUrl, 'pishkhan', settings, drainWarmup);
  console.log('  · waiting for the replies to be recorded at the Gap sandbox');
  const allIn = (got: readonly GapBotMessage[]) => pairReplies(pishkhanRun, got).waiting === 0;
  const replies = await awaitReplies(stack.urls.gap, warmupLastReply, allIn, settings.deadline);
  return printReport(baselineRun, pishkhanRun, replies);
}

async function main(): Promise<number> {
  const settings: Settings = {
    requests: setting('BENCH_REQUESTS', 3000, MAX_REQUESTS),
    concurrency: setting('BENCH_CONCURRENCY', 32, 512),
    deadline: Date.now() + DEADLINE_MS - REPORT_MARGIN_MS,
  };
  console.log(header(settings));
  const abort = new AbortController();
  const stopped = new Promise<never>((_, reject) => {
    abort.signal.addEventListener('abort', () => reject(abort.signal.reason));
  });
  const timer = setTimeout(
    () => abort.abort(new Error(`the bench's deadline of ${DEADLINE_MS / 60_000} min passed`)),
    DEADLINE_MS,
  );
  const onSignal = (signal: string) => abort.abort(new Error(`interrupted (${signal})`));
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  const parts = new Parts();
  const run = bench(parts, abort, settings);
  try {
    const problems = await Promise.race([run, stopped]);
    if (problems.length > 0) console.error(`\nThe run was not clean:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    return problems.length === 0 ? 0 : 1;
  } catch (error) {
    console.error(`\nThe bench failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    clearTimeout(timer);
    setTimeout(() => process.exit(1), STOP_TIMEOUT_MS).unref();
    await parts.stopAll();
    // A part that was still starting is added once it is up, and stopped here.
    await run.catch(() => {});
    await parts.stopAll();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
