/**
 * The Deno entry where `Deno.cron` exists (Deno Deploy; here `--unstable-cron`): the scheduled
 * work runs from the scheduler, once a minute, and no timer of its own is started.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalStack, startLocalStack } from '../../dev/local-stack.ts';
import { type Deps, depsFor } from '../../src/deps.ts';
import { fa } from '../../src/i18n/fa.ts';
import { leaveBehind, newChatId, waitForMessages } from '../runtimes/entry-suite.ts';
import { DENO_ENTRY, type EntryProcess, parseLine, startEntry, stopEntry } from '../support/entry-process.ts';
import { waitFor } from '../support/wait.ts';

const [deno, ...args] = DENO_ENTRY;
const WITH_CRON: readonly [string, ...string[]] = [deno, ...args.slice(0, 1), '--unstable-cron', ...args.slice(1)];
/** The scheduler fires at the start of each minute. */
const CRON_DEADLINE_MS = 75_000;

describe('the Deno entry under Deno.cron', () => {
  let stack: LocalStack<'libsql' | 'gsb' | 'gap'>;
  let deps: Deps;
  let entry: EntryProcess;

  beforeAll(async () => {
    stack = await startLocalStack({ parts: ['libsql', 'gsb', 'gap'] });
    deps = await depsFor(stack.vars);
    // A one-second sweep interval: were the timer started, the left-behind event would be answered at once.
    entry = await startEntry(WITH_CRON, { ...stack.vars, HOST: '127.0.0.1', PORT: '0', SWEEP_INTERVAL_S: '1' });
  });

  afterAll(async () => {
    if (entry) await stopEntry(entry);
    deps?.store.db.$client.close();
    await stack?.stop();
  });

  it('says so when it starts, and runs the scheduled work from the scheduler', {
    timeout: CRON_DEADLINE_MS + 15_000,
  }, async () => {
    const listening = entry.output.map(parseLine).find((line) => line?.event === 'listening');
    expect(listening).toMatchObject({ scheduler: 'deno-cron', sweepEveryS: null });

    const chatId = newChatId();
    await leaveBehind(deps, chatId, 'سلام');
    const [menu] = await waitForMessages(stack.urls.gap, chatId, 1, CRON_DEADLINE_MS);
    expect(menu?.data).toContain(fa.greeting);
    // The run's own line, once its work is done.
    const sweeps = () => entry.output.map(parseLine).filter((line) => line?.event === 'sweep').length;
    await waitFor(async () => sweeps() > 0, 15_000, 'sweep line');
    // No timer of its own: the one-second interval would have written more lines by now; the
    // scheduler's next run is a minute away.
    await expect(waitFor(async () => sweeps() > 1, 3_000, 'second sweep line')).rejects.toThrow();
  });
});
