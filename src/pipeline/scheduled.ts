/**
 * One run of the scheduled work, for the entries' cron trigger or timer: the sweep and, when
 * `streamHoldMs` is given (Workers, which keep no process running), the messengers' update streams
 * for that long, under their leases. It returns once the work those messages started is done.
 */

import { depsFor } from '../deps.ts';
import { logError } from '../log.ts';
import type { EnvVars } from '../types.ts';
import type { Background } from './ingest.ts';
import { readStreams } from './streams.ts';
import { sweep } from './sweep.ts';

/**
 * Where no process runs between requests (Workers, Deno Deploy), an update stream (Soroush legacy)
 * is read by the minute's scheduled run for most of the minute: best effort, since what the
 * messenger sends in the gaps between holds and does not replay on Last-Event-ID is missed (README).
 * The long-lived entries read it all the time.
 */
export const STREAM_HOLD_MS = 50_000;

export async function runScheduled(env: EnvVars, options: { streamHoldMs?: number } = {}): Promise<void> {
  const started = new Set<Promise<void>>();
  const background: Background = (work) => {
    started.add(work);
  };
  const sweeping = depsFor(env)
    .then(sweep)
    .catch((error) => logError('sweep-failed', error));
  const streaming =
    options.streamHoldMs === undefined
      ? null
      : readStreams(env, { signal: new AbortController().signal, background, holdMs: options.streamHoldMs });
  await Promise.all([sweeping, streaming]);
  await Promise.allSettled(started);
}
