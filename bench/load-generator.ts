/**
 * The bench's handle on its load generator (load-worker.ts, a child process of its own): one job
 * at a time, each a batch of Gap webhooks at a fixed concurrency. The child is kept between jobs,
 * so the connections a warm-up opens serve the measured run after it.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface LoadJob {
  url: string;
  requests: number;
  concurrency: number;
  /** Request i goes to chat `firstChat + i % chats`. */
  chats: number;
  firstChat: number;
  /** Part of every text, so that no two requests of a run are the same update (no dedupe). */
  label: string;
}

/** Per request, by index: its chat, when it was sent (epoch ms), how long its answer took, its status (0: none). */
export interface LoadResult {
  chatIds: string[];
  sentAt: number[];
  answerMs: number[];
  status: number[];
  /** Empty for a 200; else the status and the start of the body, or why no answer came. */
  failure: string[];
  /** From the first send to the last answer. */
  elapsedMs: number;
}

type Reply = { ok: true; result: LoadResult } | { ok: false; error: string };

export class LoadGenerator {
  readonly #child: ChildProcess;

  constructor() {
    const root = fileURLToPath(new URL('..', import.meta.url));
    this.#child = fork(fileURLToPath(new URL('./load-worker.ts', import.meta.url)), [], {
      cwd: root,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }

  run(job: LoadJob): Promise<LoadResult> {
    const child = this.#child;
    return new Promise((resolve, reject) => {
      if (child.exitCode !== null || child.signalCode !== null)
        return reject(new Error('the load generator has stopped'));
      const onExit = (code: number | null) => reject(new Error(`the load generator exited (code ${code})`));
      child.once('exit', onExit);
      child.once('message', (reply: Reply) => {
        child.off('exit', onExit);
        if (reply.ok) resolve(reply.result);
        else reject(new Error(`the load generator failed: ${reply.error}`));
      });
      child.send(job);
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
