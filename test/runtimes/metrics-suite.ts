/**
 * /metrics on an in-country entry (src/node.ts, src/deno.ts), booted as an operator runs it: after
 * a postcode inquiry on Gap the scrape shows its counts, and a caller without METRICS_TOKEN gets
 * none of them; the sweep's log line derives the same counts from the rows stored (what Workers log
 * instead).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localGap } from '../../dev/local-settings.ts';
import { type LocalStack, startLocalStack } from '../../dev/local-stack.ts';
import { fa } from '../../src/i18n/fa.ts';
import { type EntryProcess, parseLine, startEntry, stopEntry } from '../support/entry-process.ts';
import { newChatId, postText, waitForMessages } from './entry-suite.ts';

const TOKEN = 'a-metrics-token-for-the-runtime-test-0000';
const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** One sample's value in an exposition, or undefined when the line is not there. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/**
 * Registers the suite for one entry.
 * @param command the program and its arguments, run from the repository's root
 */
export function describeMetrics(name: string, command: readonly [string, ...string[]]): void {
  describe(`/metrics on ${name}`, () => {
    let stack: LocalStack<'libsql' | 'gsb' | 'gap'>;
    let entry: EntryProcess;
    const chatId = newChatId();

    beforeAll(async () => {
      stack = await startLocalStack({ parts: ['libsql', 'gsb', 'gap'] });
      const vars = { ...stack.vars, HOST: '127.0.0.1', PORT: '0', SWEEP_INTERVAL_S: '1', METRICS_TOKEN: TOKEN };
      entry = await startEntry(command, vars);
    });

    afterAll(async () => {
      if (entry) await stopEntry(entry);
      await stack?.stop();
    });

    const scrape = (headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
      fetch(`${entry.url}/metrics`, { headers });

    it('after a postcode inquiry on Gap, counts its updates, its events, the call and its answer time', async () => {
      const { url } = entry;
      expect((await postText(url, chatId, 'سلام')).status).toBe(200);
      const [greeting] = await waitForMessages(stack.urls.gap, chatId, 1);
      expect(greeting?.data).toContain(fa.greeting);
      // The same text again within Gap's dedupe window is a redelivery; a body without a chat, malformed.
      expect((await postText(url, chatId, 'سلام')).status).toBe(200);
      const malformed = await fetch(`${url}/webhooks/gap/${localGap.webhookSecret}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'type=text&data=x',
      });
      expect(malformed.status).toBe(400);
      expect((await postText(url, chatId, '۱۱۹۳۶۵۳۴۷۱')).status).toBe(200);
      // The duplicate and the malformed body get no reply: the second message is the answer.
      const [, answer] = await waitForMessages(stack.urls.gap, chatId, 2);
      expect(answer?.data).toContain('۱۱۹۳۶۵۳۴۷۱');

      const response = await scrape();
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(CONTENT_TYPE);
      const text = await response.text();
      expect(sample(text, 'pishkhan_updates_total{messenger="gap",outcome="accepted"}')).toBe(2);
      expect(sample(text, 'pishkhan_updates_total{messenger="gap",outcome="duplicate"}')).toBe(1);
      expect(sample(text, 'pishkhan_updates_total{messenger="gap",outcome="malformed"}')).toBe(1);
      expect(sample(text, 'pishkhan_events_total{messenger="gap",outcome="replied"}')).toBe(2);
      expect(sample(text, 'pishkhan_inquiries_total{service="postcode",outcome="ok"}')).toBe(1);
      expect(sample(text, 'pishkhan_upstream_duration_seconds_count{service="postcode"}')).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'pishkhan_upstream_duration_seconds_bucket{service="postcode",le="+Inf"}')).toBe(1);
      expect(sample(text, 'pishkhan_breaker_state{service="postcode"}')).toBe(0);
      expect(sample(text, 'pishkhan_database_up')).toBe(1);
      for (const gauge of ['pishkhan_inbox_lag_seconds', 'pishkhan_outbox_pending', 'pishkhan_outbox_due']) {
        expect(sample(text, gauge)).toBeGreaterThanOrEqual(0);
      }
      expect(sample(text, 'pishkhan_dead_letters{kind="event"}')).toBe(0);
      expect(text).toContain('# TYPE pishkhan_upstream_duration_seconds histogram\n');
      // Ids of the system's own only: no chat id, no postcode.
      expect(text).not.toContain(chatId);
      expect(text).not.toContain('1193653471');
    });

    it('refuses a caller without the token, or with a wrong one, with a 401 and none of the numbers', async () => {
      const wrong: Record<string, string>[] = [
        {},
        { authorization: `Bearer ${TOKEN}x` },
        { authorization: `Basic ${TOKEN}` },
      ];
      for (const headers of wrong) {
        const response = await scrape(headers);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toBe('Bearer');
        expect(await response.text()).not.toContain('pishkhan_');
      }
    });

    it("logs the same counts in the sweep's line, derived from the rows stored", async () => {
      const sweeps = () => entry.output.map(parseLine).filter((line) => line?.event === 'sweep');
      // The call is in the line of the run that anchored its audit row; the updates in every run's minute.
      await expect.poll(() => sweeps().some((line) => line?.calls === 'postcode:ok=1'), { timeout: 10_000 }).toBe(true);
      await expect
        .poll(() => sweeps().some((line) => String(line?.updates).includes('gap:done=2')), { timeout: 10_000 })
        .toBe(true);
      const withCall = sweeps().find((line) => line?.calls === 'postcode:ok=1');
      expect(withCall?.upstreamMs).toMatch(/^postcode=\d+\/\d+$/);
    });
  });
}
