/**
 * An in-country entry (src/node.ts, src/deno.ts) run as a child process, as an operator runs it:
 * with only the settings it is given, its output kept, and its URL read off its "listening" line.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait.ts';

export { waitFor };

export const root = fileURLToPath(new URL('../..', import.meta.url));
/** `npm run start:node`, without npm in between: one process, which a signal reaches itself. */
export const NODE_ENTRY: readonly [string, ...string[]] = [process.execPath, '--import', 'tsx', 'src/node.ts'];
/** `npm run start:deno`, with the same permissions. */
export const DENO_ENTRY: readonly [string, ...string[]] = [
  `${root}node_modules/.bin/deno`,
  'run',
  '--allow-net',
  '--allow-env',
  'src/deno.ts',
];

const BOOT_DEADLINE_MS = 30_000;

export interface EntryProcess {
  url: string;
  /** Every line it wrote, stdout and stderr, as it came. */
  output: string[];
  /** Resolves with the exit code once it has exited (null after a signal). */
  exited: Promise<number | null>;
  child: ChildProcess;
}

/**
 * Starts the entry and resolves once it listens and answers /healthz.
 * @param vars its settings; PATH and HOME are added (Deno's cache needs HOME), nothing else of this process's
 * @param cwd where it runs: the repository's root unless given
 */
export async function startEntry(command: readonly [string, ...string[]], vars: Record<string, string>, cwd = root) {
  const inherited = Object.fromEntries(
    ['PATH', 'HOME'].flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
  );
  const [program, ...args] = command;
  const child = spawn(program, args, { cwd, env: { ...inherited, ...vars }, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const output: string[] = [];
  const lines = createInterface({ input: child.stdout! });
  lines.on('line', (line) => output.push(line));
  createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
  const url = await new Promise<string>((resolve, reject) => {
    const fail = (why: string) => {
      cleanup();
      reject(new Error(`${why}:\n${output.join('\n')}`));
    };
    const onExit = (code: number | null) => fail(`the entry exited (code ${code}) before listening`);
    const onLine = (line: string) => {
      const logged = parseLine(line);
      if (logged?.event === 'listening' && typeof logged.url === 'string') {
        cleanup();
        resolve(logged.url);
      }
    };
    const timer = setTimeout(() => fail(`no "listening" line within ${BOOT_DEADLINE_MS} ms`), BOOT_DEADLINE_MS);
    const cleanup = () => {
      clearTimeout(timer);
      child.off('exit', onExit);
      lines.off('line', onLine);
    };
    child.once('exit', onExit);
    lines.on('line', onLine);
  });
  await waitFor(async () => (await fetch(`${url}/healthz`)).ok, BOOT_DEADLINE_MS, '/healthz');
  return { url, output, exited, child } satisfies EntryProcess;
}

/** Kills the entry with `signal` unless it has exited already, and waits for its exit. */
export async function stopEntry(entry: EntryProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
  if (entry.child.exitCode === null && entry.child.signalCode === null) entry.child.kill(signal);
  return entry.exited;
}

/** A port free on 127.0.0.1 now, for an entry that must come back on the same one. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function parseLine(line: string): Record<string, unknown> | null {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return null;
  }
}
