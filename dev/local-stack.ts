/**
 * The whole local stack on 127.0.0.1: a libSQL server (migrated at start), the GSB sandbox, a
 * sandbox per messenger (Gap with its chat console, Soroush Plus, Bale, Soroush's legacy stream),
 * and the worker under `wrangler dev`, wired to them all.
 * `npm run dev` runs it on fixed ports; benchmarks run it on free ones, and start a worker of
 * their own beside it with `startDevWorker`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startBotApiSandbox } from './bot-api-sandbox.ts';
import { startGapSandbox } from './gap-sandbox.ts';
import { startGsbSandbox } from './gsb-sandbox.ts';
import { startLibsqlServer } from './libsql-server/index.ts';
import { localSandboxKeys } from './local-keys.ts';
import { localBale, localGap, localGsb, localSoroush, localSoroushLegacy, workerVars } from './local-settings.ts';
import { applyMigrations } from './migrate.ts';
import { startSoroushLegacySandbox } from './soroush-legacy-sandbox.ts';

export const HOST = '127.0.0.1';
const SWEEP_EVERY_MS = 5_000;
const root = fileURLToPath(new URL('..', import.meta.url));

/** The parts of the stack, each on its own port. */
export type Part = 'worker' | 'libsql' | 'gsb' | 'gap' | 'soroush' | 'bale' | 'soroushLegacy';

export interface StackOptions {
  /** Where the database file lives. */
  dataDir: string;
  /** 0 (the default) picks a free port. */
  ports?: Partial<Record<Part, number>>;
  /** Whether wrangler's output reaches this process's stdout and stderr. */
  showWorkerLog?: boolean;
  /** Called, after every other part is stopped, if wrangler exits on its own once the stack is up. */
  onWorkerExit?: (code: number | null) => void;
}

export interface LocalStack {
  urls: Record<Part, string>;
  webhookUrl: string;
  /** Stops every part, the worker first. Safe to call more than once. */
  stop(): Promise<void>;
}

export async function startLocalStack(options: StackOptions): Promise<LocalStack> {
  const stops: (() => Promise<void> | void)[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const part of stops.reverse()) await Promise.resolve(part()).catch(() => {});
  };
  try {
    mkdirSync(options.dataDir, { recursive: true });
    const ports = options.ports ?? {};
    const libsql = await startLibsqlServer({ file: `${options.dataDir}/pishkhan.db`, port: ports.libsql, host: HOST });
    stops.push(() => libsql.close());
    await applyMigrations(libsql.url);

    const gsb = await startGsbSandbox({
      ...localGsb,
      ...localSandboxKeys,
      libsqlUrl: libsql.url,
      port: ports.gsb,
      host: HOST,
    });
    stops.push(() => gsb.close());

    const workerUrl = `http://${HOST}:${ports.worker || (await freePort())}`;
    const webhookUrl = `${workerUrl}/webhooks/gap/${localGap.webhookSecret}`;
    const gap = await startGapSandbox({ token: localGap.token, port: ports.gap, host: HOST, webhookUrl });
    stops.push(() => gap.close());
    const soroush = await startBotApiSandbox({
      token: localSoroush.token,
      secretToken: localSoroush.secretToken,
      textLimit: 4000,
      port: ports.soroush,
      host: HOST,
      webhookUrl: `${workerUrl}/webhooks/soroush/${localSoroush.webhookSecret}`,
    });
    stops.push(() => soroush.close());
    const bale = await startBotApiSandbox({
      token: localBale.token,
      secretToken: localBale.secretToken,
      port: ports.bale,
      host: HOST,
      webhookUrl: `${workerUrl}/webhooks/bale/${localBale.webhookSecret}`,
    });
    stops.push(() => bale.close());
    const soroushLegacy = await startSoroushLegacySandbox({
      token: localSoroushLegacy.token,
      port: ports.soroushLegacy,
      host: HOST,
    });
    stops.push(() => soroushLegacy.close());

    const urls = {
      worker: workerUrl,
      libsql: libsql.url,
      gsb: gsb.url,
      gap: gap.url,
      soroush: soroush.url,
      bale: bale.url,
      soroushLegacy: soroushLegacy.url,
    };
    const worker = startWorker(new URL(workerUrl).port, workerVars(urls), options);
    stops.push(() => stopProcess(worker));
    await waitForWorker(worker, workerUrl);
    worker.once('exit', (code) => {
      if (!stopped) void stop().then(() => options.onWorkerExit?.(code));
    });
    // wrangler dev does not fire cron triggers; the stack ticks the sweep itself.
    const ticker = setInterval(() => {
      fetch(`${workerUrl}/cdn-cgi/handler/scheduled`).then(
        (r) => r.body?.cancel(),
        () => {},
      );
    }, SWEEP_EVERY_MS);
    stops.push(() => clearInterval(ticker));

    return { urls, webhookUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface DevWorkerOptions {
  /** The worker's wrangler config, relative to the project root. */
  config: string;
  vars: Record<string, string>;
  /** Whether wrangler's output reaches this process's stdout and stderr. */
  showWorkerLog?: boolean;
  /**
   * A worker under measurement: wrangler's devtools inspector detached (attached, it costs about
   * 1.5 ms of CPU in wrangler's own process per outbound fetch) and its request log off.
   */
  measured?: boolean;
}

export interface DevWorker {
  url: string;
  /** wrangler's process id (workerd runs as its child). */
  pid: number | undefined;
  /** Stops wrangler and its workerd. Safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * One more worker under `wrangler dev`, on a free port of 127.0.0.1: the benchmark runs each of its
 * targets this way. It must answer 200 on GET /healthz once it is up.
 */
export async function startDevWorker(options: DevWorkerOptions): Promise<DevWorker> {
  const url = `http://${HOST}:${await freePort()}`;
  const worker = startWorker(new URL(url).port, options.vars, options);
  const stop = () => stopProcess(worker);
  try {
    await waitForWorker(worker, url);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pid: worker.pid, stop };
}

function startWorker(
  port: string,
  vars: Record<string, string>,
  options: { config?: string; showWorkerLog?: boolean; measured?: boolean },
): ChildProcess {
  const args = ['dev', '--ip', HOST, '--port', port, '--show-interactive-dev-session=false'];
  if (options.config) args.push('--config', options.config);
  if (options.measured) args.push('--log-level', 'warn');
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`);
  // wrangler leaves its inspector detached when it believes VS Code's debugger is in charge.
  const inspector = options.measured ? { VSCODE_INSPECTOR_OPTIONS: '{}' } : {};
  const worker = spawn(`${root}node_modules/.bin/wrangler`, args, {
    cwd: root,
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', ...inspector },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const [from, to] of [
    [worker.stdout, process.stdout],
    [worker.stderr, process.stderr],
  ] as const) {
    const lines = createInterface({ input: from });
    if (options.showWorkerLog) {
      lines.on('line', (line) => {
        if (!line.includes('/cdn-cgi/handler/scheduled')) to.write(`${redactWebhookSecret(line)}\n`);
      });
    }
  }
  return worker;
}

async function waitForWorker(worker: ChildProcess, url: string): Promise<void> {
  const exitedEarly = new Promise<never>((_, reject) => {
    worker.once('exit', (code) => reject(new Error(`wrangler dev exited (code ${code}) before it was ready`)));
  });
  exitedEarly.catch(() => {}); // it also rejects at a normal stop, when nobody waits on it
  await Promise.race([waitUntilUp(`${url}/healthz`, 60_000), exitedEarly]);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    // wrangler stops its workerd on SIGTERM; one that hangs is killed outright, so that a stop always ends.
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** wrangler logs each request's path, and a webhook's path holds its secret. */
function redactWebhookSecret(line: string): string {
  return line.replace(/(\/webhooks\/[^/\s]+\/)[^\s?]+/g, '$1***');
}

/** wrangler wants a port number up front: ask the system for a free one. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}
