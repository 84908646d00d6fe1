/**
 * The server in a process of its own (index.ts run as a program), so that its work and its CPU stay
 * apart from the process that starts it: the benchmark measures each process on its own.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const program = fileURLToPath(new URL('./index.ts', import.meta.url));

export interface LibsqlProcess {
  url: string;
  pid: number | undefined;
  /** Stops the server (it closes its streams on SIGTERM) and waits for its process to exit. */
  close(): Promise<void>;
}

export async function startLibsqlProcess(options: { file: string; port?: number }): Promise<LibsqlProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', program, options.file, String(options.port ?? 0)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const close = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  try {
    // It prints its URL once it listens.
    const url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the libSQL server exited (code ${code})`)));
      createInterface({ input: child.stdout }).once('line', resolve);
    });
    return { url, pid: child.pid, close };
  } catch (error) {
    await close();
    throw error;
  }
}
