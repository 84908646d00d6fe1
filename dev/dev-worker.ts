/**
 * A worker under `wrangler dev` on 127.0.0.1: the local stack's (the app, wired to the sandboxes)
 * and the benchmark's targets. wrangler stops its workerd on SIGTERM; a stop always ends, since one
 * that hangs is killed outright.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { WorkerLog } from './dev-log.ts';
import { HOST } from './local-settings.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export interface DevWorkerOptions {
  /** The worker's wrangler config, relative to the project root; the app's wrangler.toml when absent. */
  config?: string;
  vars: Record<string, string>;
  /** 0 or absent picks a free port. */
  port?: number;
  /** What of wrangler's output reaches this process's stdout and stderr (dev-log.ts); nothing when absent. */
  workerLog?: WorkerLog;
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
  /** Settles with wrangler's exit code once it exits, on its own or stopped. */
  exited: Promise<number | null>;
  /** Stops wrangler and its workerd. Safe to call more than once. */
  stop(): Promise<void>;
}

/** Starts the worker and resolves once it answers 200 on GET /healthz. */
export async function startDevWorker(options: DevWorkerOptions): Promise<DevWorker> {
  const url = `http://${HOST}:${options.port || (await freePort())}`;
  const worker = spawnWrangler(new URL(url).port, options, requiredSecrets(options.config));
  const exited = new Promise<number | null>((resolve) => worker.once('exit', resolve));
  const stop = () => stopProcess(worker);
  try {
    const exitedEarly = exited.then((code) => {
      throw new Error(`wrangler dev exited (code ${code}) before it was ready`);
    });
    exitedEarly.catch(() => {}); // it also rejects at a normal stop, when nobody waits on it
    await Promise.race([waitUntilUp(`${url}/healthz`, READY_TIMEOUT_MS), exitedEarly]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pid: worker.pid, exited, stop };
}

/** wrangler wants a port number up front: ask the system for a free one. */
export function freePort(): Promise<number> {
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

/**
 * The secrets the config declares required (its top-level `[secrets] required = [...]`): wrangler
 * dev reads those from its environment (and warns when one is missing), so they go there, out of
 * its command line. Read from the file rather than through wrangler's own reader, whose module,
 * once imported, makes SIGTERM end this process at once and leave wrangler running.
 */
export function requiredSecrets(config = 'wrangler.toml'): ReadonlySet<string> {
  const text = readFileSync(`${root}${config}`, 'utf8');
  const list = /^\[secrets\]\s*\nrequired\s*=\s*\[([^\]]*)\]/m.exec(text)?.[1] ?? '';
  return new Set([...list.matchAll(/"([^"]+)"/g)].map((match) => match[1] as string));
}

function spawnWrangler(port: string, options: DevWorkerOptions, secrets: ReadonlySet<string>): ChildProcess {
  const { workerLog } = options;
  const args = ['dev', '--ip', HOST, '--port', port, '--show-interactive-dev-session=false'];
  if (options.config) args.push('--config', options.config);
  if (options.measured) args.push('--log-level', 'warn');
  const vars = Object.entries(options.vars);
  for (const [name, value] of vars) if (!secrets.has(name)) args.push('--var', `${name}:${value}`);
  // wrangler leaves its inspector detached when it believes VS Code's debugger is in charge.
  const inspector = options.measured ? { VSCODE_INSPECTOR_OPTIONS: '{}' } : {};
  const worker = spawn(`${root}node_modules/.bin/wrangler`, args, {
    cwd: root,
    env: {
      ...process.env,
      ...Object.fromEntries(vars.filter(([name]) => secrets.has(name))),
      CI: 'true',
      WRANGLER_SEND_METRICS: 'false',
      ...inspector,
    },
    // Output nobody reads is not piped: a full pipe would stop wrangler mid-run.
    stdio: ['ignore', workerLog ? 'pipe' : 'ignore', workerLog ? 'pipe' : 'ignore'],
  });
  if (workerLog) {
    for (const [from, to] of [
      [worker.stdout, process.stdout],
      [worker.stderr, process.stderr],
    ] as const) {
      createInterface({ input: from as NonNullable<typeof from> }).on('line', (line) => {
        const shown = workerLog(redactWebhookSecret(line));
        if (shown !== null) to.write(`${shown}\n`);
      });
    }
  }
  return worker;
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
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
