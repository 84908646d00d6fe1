/**
 * The bench's handle on its load process (load/process.ts, a child of its own): it starts the
 * Bot-API fake there, then runs one job at a time. The child is kept between jobs, so the
 * connections a warm-up opens serve the measured run after it.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Job, JobResult, LoadMessage } from './jobs.ts';

type Answer<T> = { ok: true; result: T } | { ok: false; error: string };

export class LoadProcess {
  readonly #child: ChildProcess;

  constructor() {
    this.#child = fork(fileURLToPath(new URL('./process.ts', import.meta.url)), [], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Starts the Bot-API fake, the local stack's Bale sandbox. @returns its base URL */
  async messenger(): Promise<string> {
    return (await this.#ask<{ url: string }>({ type: 'messenger' })).url;
  }

  run<const J extends Job>(job: J): Promise<Extract<JobResult, { kind: J['kind'] }>> {
    return this.#ask({ type: 'job', job });
  }

  #ask<T>(message: LoadMessage): Promise<T> {
    const child = this.#child;
    return new Promise((resolve, reject) => {
      if (child.exitCode !== null || child.signalCode !== null)
        return reject(new Error('the load process has stopped'));
      const onExit = (code: number | null) => reject(new Error(`the load process exited (code ${code})`));
      child.once('exit', onExit);
      child.once('message', (answer: Answer<T>) => {
        child.off('exit', onExit);
        if (answer.ok) resolve(answer.result);
        else reject(new Error(`the load process failed: ${answer.error}`));
      });
      child.send(message);
    });
  }

  stop(): Promise<void> {
    const child = this.#child;
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL'); // it holds nothing worth a graceful stop
    });
  }
}
