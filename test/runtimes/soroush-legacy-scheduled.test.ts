/**
 * Soroush legacy the Workers way, best effort: each scheduled run holds the stream for a while under
 * its database lease (here `runScheduled` in Node, with a short hold, against the legacy sandbox and
 * a local libSQL server). Two runs never hold it at once, and the next run resumes where the last one
 * stopped, the Last-Event-ID kept in the database.
 */
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depsFor } from '../../src/deps.ts';
import { fa } from '../../src/i18n/fa.ts';
import { faServices } from '../../src/i18n/fa-services.ts';
import { runScheduled } from '../../src/pipeline/scheduled.ts';
import { type LegacyStack, newCitizen, say, sentTo, startLegacyStack, streams } from './legacy-stack.ts';

const HOLD_MS = 1_500;

describe('Soroush legacy read by the scheduled run (Workers)', () => {
  let stack: LegacyStack;
  let url: string;

  beforeAll(async () => {
    stack = await startLegacyStack();
    url = stack.legacyUrl;
  });

  afterAll(async () => {
    (await depsFor(stack.vars).catch(() => null))?.store.db.$client.close();
    await stack?.stop();
  });

  async function lease() {
    const db = createClient({ url: stack.vars.LIBSQL_URL! });
    try {
      const { rows } = await db.execute(
        "select lease_owner, lease_until, last_event_id from stream_leases where name = 'soroush-legacy'",
      );
      return rows[0];
    } finally {
      db.close();
    }
  }

  it('holds the stream for the run and answers what came, while a run at the same time leaves it alone', async () => {
    const citizen = newCitizen();
    const before = (await streams(url)).connections.length;
    const runs = [
      runScheduled(stack.vars, { streamHoldMs: HOLD_MS }),
      runScheduled(stack.vars, { streamHoldMs: HOLD_MS }),
    ];
    await expect.poll(async () => (await streams(url)).open).toBe(1);
    await say(url, citizen, 'سلام');
    await Promise.all(runs);
    // The run waited for the work its messages started: the reply is out when it returns.
    expect((await sentTo(url, citizen)).map((m) => m.body)).toEqual([expect.stringContaining(fa.greeting)]);
    expect((await streams(url)).connections.slice(before)).toHaveLength(1);
    expect((await streams(url)).open).toBe(0);
    expect(await lease()).toMatchObject({ lease_owner: null, lease_until: 0 });
  });

  it('resumes after the last message of the previous run, and answers what came between the runs', async () => {
    const citizen = newCitizen();
    await runScheduled(stack.vars, { streamHoldMs: HOLD_MS });
    const kept = String((await lease())?.last_event_id);
    expect(kept).toMatch(/^\d+$/);
    // Said while no run holds the stream: this sandbox keeps it for the next reader.
    await say(url, citizen, 'سلام');
    await say(url, citizen, 'نشانی از کد پستی');
    await runScheduled(stack.vars, { streamHoldMs: HOLD_MS });
    expect((await streams(url)).connections.at(-1)?.lastEventId).toBe(kept);
    expect((await sentTo(url, citizen)).map((m) => m.body)).toEqual([
      expect.stringContaining(fa.greeting),
      faServices.postcode.prompt,
    ]);
    expect(Number((await lease())?.last_event_id)).toBe(Number(kept) + 2);
  });

  it('leaves the stream to a reader whose lease is live, and takes it over once that lease has expired', async () => {
    const db = createClient({ url: stack.vars.LIBSQL_URL! });
    const before = (await streams(url)).connections.length;
    try {
      const hold = (until: number) =>
        db.execute({
          sql: "update stream_leases set lease_owner = 'another-process', lease_until = ? where name = 'soroush-legacy'",
          args: [until],
        });
      await hold(Date.now() + 60_000);
      await runScheduled(stack.vars, { streamHoldMs: HOLD_MS });
      expect((await streams(url)).connections).toHaveLength(before);
      await hold(Date.now() - 1);
      await runScheduled(stack.vars, { streamHoldMs: HOLD_MS });
      expect((await streams(url)).connections).toHaveLength(before + 1);
      expect(await lease()).toMatchObject({ lease_owner: null });
    } finally {
      db.close();
    }
  });

  it('reads no stream when the run is given no hold (the long-lived entries read it themselves)', async () => {
    const before = (await streams(url)).connections.length;
    await runScheduled(stack.vars);
    expect((await streams(url)).connections).toHaveLength(before);
  });
});
