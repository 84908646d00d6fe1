/**
 * `npm run bench`: Pishkhan against a bare worker and a grammY peer, in one run, on the same
 * workerd (`wrangler dev`, devtools inspector detached, request logs off), the same libSQL server
 * (a process of its own, counting round trips), the same Bot-API fake (in the load process) and
 * the GSB sandbox (every Pishkhan signature checked; the peer's unsigned calls admitted). Each
 * target in turn through four modes: closed-loop webhooks, open-loop webhooks at a fixed rate,
 * 4-step conversations with many citizens, and the same with a few citizens while the database
 * answers slowly. Prints a table per mode, the CPU figures, and the goals with their verdicts;
 * stops everything it started, also on failure, Ctrl-C or its deadline.
 *
 * BENCH_REQUESTS (closed loop, 2000), BENCH_RATE (per second, 300), BENCH_SECONDS (open loop, 10),
 * BENCH_CITIZENS (50), BENCH_CONVERSATIONS (each citizen's, 4), BENCH_DB_DELAY_MS (20),
 * BENCH_TARGETS (bare,peer,pishkhan), BENCH_SHOW_WORKER_LOG=1 (the workers' output).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rawLog } from '../dev/dev-log.ts';
import { startDevWorker } from '../dev/dev-worker.ts';
import type { TallyCounts } from '../dev/libsql-server/index.ts';
import { localBale, workerVars } from '../dev/local-settings.ts';
import { startLocalStack } from '../dev/local-stack.ts';
import { faServices } from '../src/i18n/fa-services.ts';
import { measureCpu } from './cpu.ts';
import { LoadProcess } from './load/index.ts';
import type { ConversationTimings, Target, WebhookTimings } from './load/jobs.ts';
import { cpuMs, type Measured } from './process-cpu.ts';
import {
  CPU_PARTS,
  type CpuPart,
  closedTable,
  conversationsTable,
  cpuTable,
  type Database,
  goals,
  type ModeResult,
  openTable,
  TARGET_NAMES,
  type TargetName,
  table,
} from './report.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const DEADLINE_MS = 20 * 60_000;
const STOP_TIMEOUT_MS = 20_000;
const CONNECTIONS = 20;
const SLOW_CITIZENS = 5;
const WARMUP_REQUESTS = 200;
/** The 4-step postcode form: the menu, the service, a wrong postcode (refused), a right one (answered). */
const STEPS = ['/start', faServices.postcode.title, '0123456789', '۱۱۹۳۶۵۳۴۷۱'] as const;

function setting(name: string, fallback: number, max: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new Error(`${name} must be an integer from 1 to ${max}`);
  return value;
}

const settings = {
  requests: setting('BENCH_REQUESTS', 2000, 50_000),
  rate: setting('BENCH_RATE', 300, 5_000),
  seconds: setting('BENCH_SECONDS', 10, 600),
  citizens: setting('BENCH_CITIZENS', 50, 1_000),
  conversations: setting('BENCH_CONVERSATIONS', 4, 100),
  dbDelayMs: setting('BENCH_DB_DELAY_MS', 20, 1_000),
  targets: (process.env.BENCH_TARGETS ?? 'bare,peer,pishkhan').split(',') as TargetName[],
};

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

async function database(url: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(
    `${url}${path}`,
    body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) },
  );
  if (!response.ok) throw new Error(`the libSQL server answered ${response.status} to ${path}`);
  return response.json();
}

/** Runs `work` and counts the round trips the database served, and the CPU each process spent, meanwhile. */
async function counted<T>(
  libsqlUrl: string,
  processes: Record<CpuPart, Measured>,
  work: () => Promise<T>,
): Promise<T & { database: Database; cpu: Record<CpuPart, number> | null }> {
  const before = (await database(libsqlUrl, '/_control/tally')) as TallyCounts;
  const cpuBefore = cpuMs(processes);
  const started = performance.now();
  const result = await work();
  const cpuAfter = cpuMs(processes);
  const after = (await database(libsqlUrl, '/_control/tally')) as TallyCounts;
  const cpu =
    cpuBefore && cpuAfter
      ? (Object.fromEntries(CPU_PARTS.map((part) => [part, cpuAfter[part] - cpuBefore[part]])) as Record<
          CpuPart,
          number
        >)
      : null;
  return {
    ...result,
    database: { roundTrips: after.pipelines - before.pipelines, elapsedMs: performance.now() - started },
    cpu,
  };
}

function header(): string {
  const version = (name: string) =>
    (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  return [
    'Pishkhan benchmark: wrangler dev (workerd) on loopback, devtools inspector detached, request logs off; not production',
    `  machine   ${availableParallelism()} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, wrangler ${version('wrangler')}`,
    `            load average before the run ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' / ')} (1 / 5 / 15 min)`,
    `  targets   ${TARGET_NAMES.bare}; ${TARGET_NAMES.peer} (grammy ${version('grammy')}, @grammyjs/conversations ${version('@grammyjs/conversations')});`,
    `            ${TARGET_NAMES.pishkhan}, every bus call signed and verified`,
    '  shared    one libSQL server (its own process), one Bot-API fake and the citizens (the load process), the GSB sandbox',
  ].join('\n');
}

interface Results {
  closed: ModeResult<WebhookTimings>;
  open: ModeResult<WebhookTimings>;
  conversations: ModeResult<ConversationTimings>;
  slowDatabase: ModeResult<ConversationTimings>;
}

async function bench(parts: Parts, abort: AbortSignal): Promise<void> {
  console.log('  · starting the libSQL server, the GSB sandbox and the load process');
  // The libSQL server in a process of its own, so that its work and the bench's do not share a thread.
  const stack = await startLocalStack({ parts: ['libsql', 'gsb'], libsqlProcess: true, gsb: { admitUnsigned: true } });
  parts.add(stack.stop);
  const { libsql, gsb } = stack.urls;
  const load = new LoadProcess();
  parts.add(() => load.stop());
  const messenger = await load.messenger();

  const botVars = { LIBSQL_URL: libsql, BOT_TOKEN: localBale.token, BOT_API_BASE: messenger };
  const pishkhanVars = workerVars({ libsql, gsb, gap: messenger, bale: messenger });
  const targets: Record<TargetName, { config: string; vars: Record<string, string>; path: string }> = {
    bare: { config: 'bench/bare/wrangler.toml', vars: botVars, path: '/webhook' },
    peer: { config: 'bench/peer/wrangler.toml', vars: { ...botVars, GSB_BASE_URL: gsb }, path: '/webhook' },
    pishkhan: { config: 'wrangler.toml', vars: pishkhanVars, path: `/webhooks/bale/${localBale.webhookSecret}` },
  };

  const results: Results = { closed: {}, open: {}, conversations: {}, slowDatabase: {} };
  for (const [index, name] of settings.targets.entries()) {
    abort.throwIfAborted();
    const spec = targets[name];
    if (!spec) throw new Error(`BENCH_TARGETS: no target ${name}`);
    console.log(`  · ${TARGET_NAMES[name]}: starting`);
    const worker = await startDevWorker({
      ...spec,
      measured: true,
      workerLog: process.env.BENCH_SHOW_WORKER_LOG === '1' ? rawLog : undefined,
    });
    parts.add(() => worker.stop());
    const target: Target = { webhookUrl: `${worker.url}${spec.path}`, secretToken: localBale.secretToken };
    const processes: Record<CpuPart, Measured> = {
      worker: { pid: worker.pid },
      database: { pid: stack.pids.libsql },
      messenger: { pid: load.pid },
      bus: { pid: process.pid, alone: true },
    };
    // Chats of its own for each target: the fake counts replies per chat.
    const chats = 10_000_000 * (index + 1);
    await load.run({
      kind: 'closed',
      target,
      requests: WARMUP_REQUESTS,
      connections: CONNECTIONS,
      chats: 100,
      firstChat: chats,
    });
    const { replies } = await load.run({ kind: 'calibrate', target, steps: STEPS, chat: chats + 100, quietMs: 500 });
    console.log(`    replies per step of the conversation: ${replies.join(', ')}`);

    console.log(`    closed loop: ${settings.requests} updates over ${CONNECTIONS} connections`);
    results.closed[name] = await counted(libsql, processes, async () => {
      const run = await load.run({
        kind: 'closed',
        target,
        requests: settings.requests,
        connections: CONNECTIONS,
        chats: 1000,
        firstChat: chats + 1_000,
      });
      return { ...run, updates: settings.requests };
    });
    console.log(`    open loop: ${settings.rate} updates/s for ${settings.seconds} s`);
    results.open[name] = await counted(libsql, processes, async () => {
      const run = await load.run({
        kind: 'open',
        target,
        rate: settings.rate,
        durationMs: settings.seconds * 1000,
        firstChat: chats + 100_000,
      });
      return { ...run, updates: run.answerMs.length };
    });
    const conversation = { kind: 'conversations', target, steps: STEPS, replies } as const;
    console.log(`    conversations: ${settings.citizens} citizens, ${settings.conversations} each`);
    results.conversations[name] = await counted(libsql, processes, () =>
      load.run({
        ...conversation,
        citizens: settings.citizens,
        each: settings.conversations,
        firstChat: chats + 1_000_000,
      }),
    );
    console.log(`    conversations: ${SLOW_CITIZENS} citizens, every database answer ${settings.dbDelayMs} ms late`);
    await database(libsql, '/_control/delay', { ms: settings.dbDelayMs });
    try {
      results.slowDatabase[name] = await counted(libsql, processes, () =>
        load.run({
          ...conversation,
          citizens: SLOW_CITIZENS,
          each: settings.conversations,
          firstChat: chats + 2_000_000,
        }),
      );
    } finally {
      await database(libsql, '/_control/delay', { ms: 0 });
    }
    await worker.stop();
  }

  console.log('  · CPU, in this process');
  const cpu = await measureCpu(pishkhanVars, botVars);
  report(results, cpu);
}

function report(results: Results, cpu: Awaited<ReturnType<typeof measureCpu>>): void {
  console.log(
    `\n1. Webhook throughput, closed loop: ${settings.requests} text updates over ${CONNECTIONS} connections`,
  );
  console.log(closedTable(results.closed));
  console.log(
    `\n2. Webhook latency, open loop: ${settings.rate} updates/s for ${settings.seconds} s, each timed from its scheduled send`,
  );
  console.log(openTable(results.open));
  console.log(
    `\n3. 4-step postcode conversations, ${settings.citizens} citizens at once, ${settings.conversations} each; a step is timed from its webhook's send to its last reply at the messenger`,
  );
  console.log(conversationsTable(results.conversations));
  const cpu3 = cpuTable(results.conversations);
  const cores = availableParallelism();
  if (cpu3)
    console.log(`\n   Where the CPU went in 3, ms per update (all of it from the same ${cores} cores):\n${cpu3}`);
  console.log(
    `\n4. The same, ${SLOW_CITIZENS} citizens, every database answer held back ${settings.dbDelayMs} ms (a network round trip)`,
  );
  console.log(conversationsTable(results.slowDatabase));
  console.log('\nCPU (Node, this process)');
  console.log(
    table([
      ['', 'µs'],
      ['engine step, median (4-step conversation, settle included)', cpu.stepMedianUs.toFixed(1)],
      ['engine step, p99', cpu.stepP99Us.toFixed(1)],
      ['Pishkhan webhook handler up to its 200, per update', cpu.pishkhanWebhookUs.toFixed(0)],
      ['bare webhook handler up to its 200, per update', cpu.bareWebhookUs.toFixed(0)],
    ]),
  );
  const judged = goals(results.open, results.conversations, results.slowDatabase);
  if (judged.length > 0) {
    console.log('\nGoals');
    console.log(
      table([['', 'this run', ''], ...judged.map((goal) => [goal.what, goal.measured, goal.met ? 'met' : 'MISSED'])]),
    );
  }
}

async function main(): Promise<number> {
  console.log(header());
  const abort = new AbortController();
  const stopped = new Promise<never>((_, reject) =>
    abort.signal.addEventListener('abort', () => reject(abort.signal.reason)),
  );
  const timer = setTimeout(
    () => abort.abort(new Error(`the bench's deadline of ${DEADLINE_MS / 60_000} min passed`)),
    DEADLINE_MS,
  );
  const onSignal = (signal: string) => abort.abort(new Error(`interrupted (${signal})`));
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  const parts = new Parts();
  const run = bench(parts, abort.signal);
  try {
    await Promise.race([run, stopped]);
    return 0;
  } catch (error) {
    console.error(`\nThe bench failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    clearTimeout(timer);
    setTimeout(() => process.exit(1), STOP_TIMEOUT_MS).unref();
    await parts.stopAll();
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
