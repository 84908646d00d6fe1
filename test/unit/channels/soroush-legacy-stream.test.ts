/**
 * The stream consumer against the Soroush legacy sandbox on a real socket: order, reconnection
 * with Last-Event-ID, no message twice, the idle reconnect and the silence warning.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunningServer } from '../../../dev/sandboxes/kit/serve.ts';
import {
  type LegacyConnection,
  type SoroushLegacySandboxOptions,
  startSoroushLegacySandbox,
} from '../../../dev/sandboxes/soroush-legacy/index.ts';
import { type EventStreamSettings, readEventStream } from '../../../src/channels/soroush-legacy/stream.ts';
import type { WebhookBody } from '../../../src/channels/types.ts';

const TOKEN = 'legacy-stream-test-token';
const running: { server: RunningServer; stop: AbortController; reading: Promise<void> }[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  for (const { server, stop, reading } of running.splice(0)) {
    stop.abort();
    await reading;
    await server.close();
  }
});

interface Reader {
  url: string;
  delivered: { body: string; eventId?: string }[];
  positions: string[];
}

/** A sandbox and a consumer reading it into `delivered`, with small thresholds. */
async function start(
  sandbox: Partial<SoroushLegacySandboxOptions> = {},
  consumer: Partial<EventStreamSettings> & { token?: string; deliver?: (message: WebhookBody) => Promise<void> } = {},
  before?: (url: string) => Promise<unknown>,
): Promise<Reader> {
  const server = await startSoroushLegacySandbox({ token: TOKEN, ...sandbox });
  await before?.(server.url);
  const reader: Reader = { url: server.url, delivered: [], positions: [] };
  const stop = new AbortController();
  const settings: EventStreamSettings = {
    channel: 'soroush-legacy',
    idleReconnectMs: 5_000,
    silenceWarnMs: 60_000,
    backoff: { baseMs: 20, capMs: 100 },
    open: (lastEventId, signal) =>
      fetch(`${server.url}/${consumer.token ?? TOKEN}/getMessage`, {
        headers: lastEventId === null ? {} : { 'last-event-id': lastEventId },
        signal,
      }),
    ...consumer,
  };
  const reading = readEventStream(settings, {
    signal: stop.signal,
    lastEventId: null,
    lastMessageAt: Date.now(),
    deliver: async (message) => {
      await consumer.deliver?.(message);
      reader.delivered.push({
        body: JSON.parse(message.text).body,
        ...(message.eventId && { eventId: message.eventId }),
      });
    },
    progressed: (id) => reader.positions.push(id),
  });
  running.push({ server, stop, reading });
  return reader;
}

async function post(url: string, path: string, body: unknown = {}) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return response.json() as Promise<Record<string, unknown>>;
}
const say = (url: string, body: string) => post(url, '/_sandbox/deliver', { from: 'citizen-1', body });
const connections = async (url: string) =>
  (await (await fetch(`${url}/_sandbox/streams`)).json()) as { open: number; connections: LegacyConnection[] };
const openStreams = async (url: string) => (await connections(url)).open;
const bodies = (reader: Reader) => reader.delivered.map((d) => d.body);
/** Lines the consumer logged, parsed. */
function logged() {
  const lines: Record<string, unknown>[] = [];
  vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(JSON.parse(line)));
  vi.spyOn(console, 'error').mockImplementation((line: string) => void lines.push(JSON.parse(line)));
  return lines;
}

describe('the Soroush legacy stream consumer', () => {
  it('delivers what waited for it, then each message as it comes, in order, with its SSE id', async () => {
    logged();
    const reader = await start({}, {}, (url) => say(url, 'waited'));
    await expect.poll(() => openStreams(reader.url)).toBe(1);
    for (const word of ['a', 'b', 'c', 'd']) await say(reader.url, word);
    await expect.poll(() => bodies(reader)).toEqual(['waited', 'a', 'b', 'c', 'd']);
    expect(reader.delivered.map((d) => d.eventId)).toEqual(['1', '2', '3', '4', '5']);
    expect(reader.positions).toEqual(['1', '2', '3', '4', '5']);
  });

  it.each(['close', 'error'] as const)(
    'after a stream dropped (%s), reconnects with Last-Event-ID and gets what it missed, nothing twice',
    async (mode) => {
      const lines = logged();
      const reader = await start();
      await expect.poll(() => openStreams(reader.url)).toBe(1);
      await say(reader.url, 'before');
      await expect.poll(() => bodies(reader)).toEqual(['before']);
      await post(reader.url, '/_sandbox/drop', { mode });
      // Said while no stream is open: the sandbox replays it after the id the consumer sends back.
      await say(reader.url, 'during');
      await expect.poll(() => openStreams(reader.url)).toBe(1);
      await say(reader.url, 'after');
      await expect.poll(() => bodies(reader)).toEqual(['before', 'during', 'after']);
      const { connections: seen } = await connections(reader.url);
      expect(seen.map((c) => c.lastEventId)).toEqual([null, '1']);
      expect(lines.some((l) => l.event === 'stream' && l.outcome === (mode === 'close' ? 'ended' : 'dropped'))).toBe(
        true,
      );
    },
  );

  it('resumes before a message it could not deliver, and delivers it once it can', async () => {
    const lines = logged();
    let failures = 1;
    const reader = await start(
      {},
      {
        deliver: async (message) => {
          if (JSON.parse(message.text).body === 'two' && failures-- > 0) throw new Error('the inbox is unreachable');
        },
      },
    );
    await expect.poll(() => openStreams(reader.url)).toBe(1);
    await say(reader.url, 'one');
    await say(reader.url, 'two');
    await say(reader.url, 'three');
    await expect.poll(() => bodies(reader)).toEqual(['one', 'two', 'three']);
    expect(lines.some((l) => l.event === 'stream-deliver-failed')).toBe(true);
    const { connections: seen } = await connections(reader.url);
    expect(seen.map((c) => c.lastEventId)).toEqual([null, '1']);
  });

  it('without SSE ids, reconnects without Last-Event-ID and gets what no stream carried', async () => {
    logged();
    const reader = await start({ eventIds: false });
    await expect.poll(() => openStreams(reader.url)).toBe(1);
    await say(reader.url, 'x');
    await post(reader.url, '/_sandbox/drop');
    await say(reader.url, 'y');
    await expect.poll(() => bodies(reader)).toEqual(['x', 'y']);
    expect(reader.delivered.every((d) => d.eventId === undefined)).toBe(true);
    expect((await connections(reader.url)).connections.map((c) => c.lastEventId)).toEqual([null, null]);
  });

  it('reconnects at once after the idle period when the service dropped the stream without a word', async () => {
    const lines = logged();
    const reader = await start({}, { idleReconnectMs: 300 });
    await expect.poll(() => openStreams(reader.url)).toBe(1);
    await say(reader.url, 'heard');
    await expect.poll(() => bodies(reader)).toEqual(['heard']);
    await post(reader.url, '/_sandbox/drop', { mode: 'silent' });
    await say(reader.url, 'said into the void');
    await expect.poll(() => bodies(reader), { timeout: 3_000 }).toEqual(['heard', 'said into the void']);
    expect(lines.some((l) => l.event === 'stream' && l.outcome === 'idle-reconnect')).toBe(true);
    const { connections: seen } = await connections(reader.url);
    expect(seen.map((c) => [c.state, c.lastEventId])).toEqual([
      ['closed', null],
      ['open', '1'],
    ]);
  });

  it('keep-alive comments keep a quiet stream from counting as idle', async () => {
    const lines = logged();
    const reader = await start({ keepAliveMs: 50 }, { idleReconnectMs: 300 });
    // Twice the idle limit's worth of keep-alives, and nothing else, came on the one stream.
    await expect
      .poll(async () => (await connections(reader.url)).connections[0]?.keepAlives ?? 0, { timeout: 5_000 })
      .toBeGreaterThanOrEqual(12);
    expect((await connections(reader.url)).connections).toHaveLength(1);
    expect(lines.some((l) => l.outcome === 'idle-reconnect')).toBe(false);
  });

  it('warns in the log, with neither the token nor any message, when a wrong token leaves the stream silent', async () => {
    const lines = logged();
    const reader = await start({}, { token: 'not-the-token', silenceWarnMs: 300, idleReconnectMs: 5_000 });
    await expect
      .poll(() => lines.filter((l) => l.event === 'stream-silent').length, { timeout: 2_000 })
      .toBeGreaterThan(0);
    await say(reader.url, 'for the right bot only');
    // The sandbox has taken the message by now: it went down no stream of this reader's.
    const [connection] = (await connections(reader.url)).connections;
    expect(connection).toMatchObject({ validToken: false, events: 0 });
    expect(reader.delivered).toEqual([]);
    const silent = lines.find((l) => l.event === 'stream-silent');
    expect(silent).toMatchObject({ channel: 'soroush-legacy', silentS: expect.any(Number) });
    expect(JSON.stringify(lines)).not.toContain('not-the-token');
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
  });

  it('backs off while the service refuses the stream, and logs the status', async () => {
    const lines = logged();
    const reader = await start({ wrongToken: 'refuse' }, { token: 'not-the-token' });
    await expect.poll(() => lines.filter((l) => l.outcome === 'refused').length).toBeGreaterThan(2);
    expect(lines.find((l) => l.outcome === 'refused')).toMatchObject({ status: 401 });
    const waits = lines.filter((l) => l.outcome === 'refused').map((l) => Number(l.reconnectInMs));
    expect(Math.max(...waits)).toBeLessThanOrEqual(100);
    expect(reader.delivered).toEqual([]);
  });

  it('honours the retry the stream asks for, as the base of its backoff (never under 500 ms)', async () => {
    const lines = logged();
    const reader = await start({ retryMs: 600 }, { backoff: { baseMs: 20, capMs: 5_000 } });
    await expect.poll(() => openStreams(reader.url)).toBe(1);
    await post(reader.url, '/_sandbox/drop');
    await expect.poll(() => lines.find((l) => l.outcome === 'ended')).toBeDefined();
    const wait = Number(lines.find((l) => l.outcome === 'ended')?.reconnectInMs);
    expect(wait).toBeGreaterThanOrEqual(300);
    expect(wait).toBeLessThanOrEqual(1_200);
  });
});
