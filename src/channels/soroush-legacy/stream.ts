/**
 * Reading a Server-Sent Events stream of updates (Soroush legacy's `getMessage`,
 * docs/messengers.md#soroush-legacy-the-stream) for as long as the reader is not stopped: each
 * event's data is delivered in order, and the position moves past it only once it is delivered. The
 * stream is opened again, with `Last-Event-ID` when the server gave ids, whenever it ends, fails or
 * is refused (capped backoff, based on the server's `retry:` when it sent one), and at once after
 * `idleReconnectMs` without a byte: the service is known to drop idle streams without a word. No
 * message for `silenceWarnMs` is reported in the log, since a wrong token looks exactly like a
 * quiet bot.
 */
import { type Backoff, backoffDelay, pause } from '../../backoff.ts';
import { log, logError } from '../../log.ts';
import type { StreamReading } from '../types.ts';
import { SseParser } from './sse.ts';

export interface EventStreamSettings {
  /** The messenger's name, for the log. */
  channel: string;
  /** Opens one connection; `lastEventId` is the position to resume after, when there is one. */
  open(lastEventId: string | null, signal: AbortSignal): Promise<Response>;
  idleReconnectMs: number;
  silenceWarnMs: number;
  backoff?: Backoff;
  now?: () => number;
}

const RECONNECT_BACKOFF: Backoff = { baseMs: 1_000, capMs: 60_000 };
/** A server asking for less would have us hammer it while it refuses. */
const MIN_RETRY_MS = 500;

type Outcome =
  | { kind: 'aborted' | 'idle' }
  | { kind: 'refused'; status: number }
  | { kind: 'ended' | 'dropped' | 'undelivered'; messages: number };

/** Reads until `reading.signal` aborts; resolves then, never rejects. */
export async function readEventStream(settings: EventStreamSettings, reading: StreamReading): Promise<void> {
  const now = settings.now ?? Date.now;
  const backoff = settings.backoff ?? RECONNECT_BACKOFF;
  const state = { lastEventId: reading.lastEventId, retryMs: null as number | null };
  const silence = watchSilence(settings.channel, settings.silenceWarnMs, reading.lastMessageAt, now);
  let failures = 0;
  try {
    while (!reading.signal.aborted) {
      const outcome = await connect(settings, reading, state, silence, now);
      if (outcome.kind === 'aborted' || reading.signal.aborted) break;
      if (outcome.kind === 'idle') {
        failures = 0;
        log('stream', { channel: settings.channel, outcome: 'idle-reconnect' });
        continue;
      }
      // A connection that carried messages was healthy: the next one starts the backoff afresh.
      failures = 'messages' in outcome && outcome.messages > 0 ? 1 : failures + 1;
      const baseMs = state.retryMs === null ? backoff.baseMs : Math.max(MIN_RETRY_MS, state.retryMs);
      const waitMs = backoffDelay(failures, { baseMs, capMs: backoff.capMs });
      log('stream', {
        channel: settings.channel,
        outcome: outcome.kind,
        status: 'status' in outcome ? outcome.status : null,
        reconnectInMs: waitMs,
      });
      await pause(waitMs, reading.signal);
    }
  } finally {
    silence.stop();
  }
}

/** One connection, from opening to its end. */
async function connect(
  settings: EventStreamSettings,
  reading: StreamReading,
  state: { lastEventId: string | null; retryMs: number | null },
  silence: Silence,
  now: () => number,
): Promise<Outcome> {
  const connection = new AbortController();
  const stop = () => connection.abort();
  reading.signal.addEventListener('abort', stop, { once: true });
  let idled = false;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;
  const armIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      idled = true;
      connection.abort();
    }, settings.idleReconnectMs);
  };
  let messages = 0;
  let delivering = false;
  try {
    // Armed before opening, so a server that never answers counts as idle too.
    armIdle();
    const response = await settings.open(state.lastEventId || null, connection.signal);
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      return { kind: 'refused', status: response.status };
    }
    log('stream', { channel: settings.channel, outcome: 'connected', resumed: Boolean(state.lastEventId) });
    const parser = new SseParser();
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        parser.end();
        return { kind: 'ended', messages };
      }
      // Not idle while a message is being delivered: that wait is ours, not the server's.
      clearTimeout(idleTimer);
      for (const event of parser.feed(value)) {
        silence.heard(now());
        delivering = true;
        await reading.deliver({
          contentType: 'application/json',
          text: event.data,
          ...(event.id !== null && { eventId: event.id }),
        });
        delivering = false;
        messages++;
        advance(state, event.lastEventId, reading);
      }
      // An event with an id and no data moves the position too.
      advance(state, parser.lastEventId, reading);
      state.retryMs = parser.retryMs ?? state.retryMs;
      armIdle();
    }
  } catch (error) {
    if (reading.signal.aborted) return { kind: 'aborted' };
    if (idled) return { kind: 'idle' };
    if (delivering) {
      logError('stream-deliver-failed', error, { channel: settings.channel });
      return { kind: 'undelivered', messages };
    }
    return { kind: 'dropped', messages };
  } finally {
    clearTimeout(idleTimer);
    reading.signal.removeEventListener('abort', stop);
    // Lets go of the connection whichever way it ended.
    connection.abort();
  }
}

function advance(state: { lastEventId: string | null }, lastEventId: string, reading: StreamReading): void {
  if (lastEventId === (state.lastEventId ?? '')) return;
  state.lastEventId = lastEventId;
  reading.progressed(lastEventId);
}

interface Silence {
  heard(at: number): void;
  stop(): void;
}

/**
 * Logs a warning each time the silence reaches a whole multiple of `warnMs` (so a long one is
 * reported again now and then, not on every reconnect), and nothing about what was (not) said.
 */
function watchSilence(channel: string, warnMs: number, lastMessageAt: number, now: () => number): Silence {
  let heardAt = lastMessageAt;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    clearTimeout(timer);
    const silentMs = Math.max(0, now() - heardAt);
    const nextMs = (Math.floor(silentMs / warnMs) + 1) * warnMs;
    timer = setTimeout(() => {
      log('stream-silent', {
        channel,
        silentS: Math.round((now() - heardAt) / 1000),
        hint: 'no message from the stream: a quiet bot, or a wrong bot token (the service keeps such a stream open and empty)',
      });
      schedule();
    }, nextMs - silentMs);
  };
  schedule();
  return {
    heard(at) {
      heardAt = at;
      schedule();
    },
    stop: () => clearTimeout(timer),
  };
}
