/**
 * Soroush legacy where it is at home, a long-lived entry (src/node.ts, src/deno.ts, booted as an
 * operator runs them) reading the stream of the legacy sandbox all the time: the scripted
 * conversation, what the sandbox received keyboards included; malformed messages skipped; a message
 * carried again answered once; a dropped stream resumed with nothing answered twice; the position
 * kept in the database at the stop.
 */
import { createClient } from '@libsql/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localSoroushLegacy } from '../../dev/local-settings.ts';
import { CHOICE_MARK } from '../../src/channels/soroush-legacy/parse.ts';
import { formKeyboard } from '../../src/conversation/keyboards.ts';
import { fa } from '../../src/i18n/fa.ts';
import { faServices } from '../../src/i18n/fa-services.ts';
import { faValidation } from '../../src/i18n/fa-validation.ts';
import { type EntryProcess, parseLine, startEntry, stopEntry, waitFor } from '../support/entry-process.ts';
import {
  control,
  type LegacyStack,
  menuAsSent,
  newCitizen,
  press,
  say,
  sentTo,
  startLegacyStack,
  streams,
  waitForSent,
} from './legacy-stack.ts';

/**
 * Registers the suite for one entry.
 * @param command the program and its arguments, run from the repository's root
 */
export function describeLegacyEntry(name: string, command: readonly [string, ...string[]]): void {
  describe(name, () => {
    let stack: LegacyStack;
    let entry: EntryProcess;
    let url: string;

    beforeAll(async () => {
      stack = await startLegacyStack();
      url = stack.legacyUrl;
      entry = await startEntry(command, { ...stack.vars, HOST: '127.0.0.1', PORT: '0', SWEEP_INTERVAL_S: '1' });
      await waitFor(async () => (await streams(url)).open === 1, 10_000, 'stream opened by the entry');
    });

    afterAll(async () => {
      if (entry) await stopEntry(entry);
      await stack?.stop();
    });

    /** Says `text` (typed, or a button's command) and waits for the one reply it causes. */
    async function converse(citizen: string, text: string, sentBefore: number) {
      await say(url, citizen, text);
      const messages = await waitForSent(url, citizen, sentBefore + 1);
      return messages[sentBefore];
    }

    it('holds the scripted conversation: menu, postcode form, a wrong postcode, a right one, the menu again', async () => {
      const citizen = newCitizen();
      const menu = await converse(citizen, 'سلام', 0);
      expect(menu).toMatchObject({ to: citizen, type: 'TEXT', keyboard: menuAsSent });
      expect(menu?.body).toContain(fa.greeting);

      const question = await converse(citizen, press(menu, faServices.postcode.title), 1);
      expect(question?.body).toBe(faServices.postcode.prompt);
      expect(question?.keyboard).toEqual(
        formKeyboard().map((row) => row.map((b) => ({ text: b.label, command: b.value }))),
      );

      const retry = await converse(citizen, '0123456789', 2);
      expect(retry?.body).toBe(`${faValidation.postcodeInvalid}\n\n${faServices.postcode.prompt}`);
      expect(retry?.keyboard).toEqual(question?.keyboard);

      const address = await converse(citizen, '۱۱۹۳۶۵۳۴۷۱', 3);
      expect(address?.body).toContain('۱۱۹۳۶۵۳۴۷۱');
      expect(address?.body).toMatch(/استان .+، شهرستان .+/);
      // The next step first, as a choice of this message, then the menu.
      const nextStep = [
        { text: fa.againButton, command: `${CHOICE_MARK}/again` },
        { text: fa.menuButton, command: `${CHOICE_MARK}${fa.menuButton}` },
      ];
      expect(address?.keyboard).toEqual([nextStep, ...menuAsSent]);

      const back = await converse(citizen, 'منو', 4);
      expect(back).toMatchObject({ body: fa.menuPrompt, keyboard: menuAsSent });
    });

    it('skips malformed messages with a log line, without the message, and answers the next one', async () => {
      const citizen = newCitizen();
      await control(url, '/_sandbox/deliver', { raw: 'not json at all' });
      await control(url, '/_sandbox/deliver', { raw: '{"type":"TEXT","body":"کد ملی ۰۰۱۲۳۴۵۶۷۸"}' });
      await control(url, '/_sandbox/deliver', { from: citizen, type: 'SELF_SEEN' });
      await say(url, citizen, 'سلام');
      const [reply] = await waitForSent(url, citizen, 1);
      expect(reply?.body).toContain(fa.greeting);
      // The read receipt drew no answer: the next message's answer is the next one sent.
      await say(url, citizen, 'منو');
      await waitForSent(url, citizen, 2);
      expect((await sentTo(url, citizen)).map((m) => m.body)).toEqual([
        expect.stringContaining(fa.greeting),
        fa.menuPrompt,
      ]);
      const logged = entry.output.map(parseLine);
      expect(logged.filter((l) => l?.event === 'stream-message' && l.outcome === 'malformed')).toHaveLength(2);
      expect(logged.some((l) => l?.event === 'stream-message' && l.outcome === 'ignored')).toBe(true);
      const all = entry.output.join('\n');
      expect(all).not.toContain('۰۰۱۲۳۴۵۶۷۸');
      expect(all).not.toContain('سلام');
      expect(all).not.toContain(localSoroushLegacy.token);
      expect(entry.child.exitCode).toBeNull();
    });

    it('answers a message the stream carries three times (under new ids) once', async () => {
      const citizen = newCitizen();
      const message = { from: citizen, type: 'TEXT', body: 'سلام', time: String(Date.now()) };
      for (let i = 0; i < 3; i++) await control(url, '/_sandbox/deliver', message);
      await waitForSent(url, citizen, 1);
      // A later message's answer comes after any second answer to the first would have: there is none.
      await say(url, citizen, 'منو');
      await waitForSent(url, citizen, 2);
      expect((await sentTo(url, citizen)).map((m) => m.body)).toEqual([
        expect.stringContaining(fa.greeting),
        fa.menuPrompt,
      ]);
      await expect.poll(() => entry.output.map(parseLine).filter((l) => l?.outcome === 'duplicate').length).toBe(2);
    });

    it('resumes a dropped stream with Last-Event-ID and answers every message once', async () => {
      const citizen = newCitizen();
      await converse(citizen, 'سلام', 0);
      await control(url, '/_sandbox/drop', { mode: 'error' });
      // Said while the stream is down: the sandbox replays it after the id the entry sends back.
      await say(url, citizen, 'نشانی از کد پستی');
      await waitForSent(url, citizen, 2);
      await say(url, citizen, 'منو');
      await waitForSent(url, citizen, 3);
      // A later message's answer comes after any replayed one would have: every message once.
      await say(url, citizen, 'منو');
      await waitForSent(url, citizen, 4);
      expect((await sentTo(url, citizen)).map((m) => m.body)).toEqual([
        expect.stringContaining(fa.greeting),
        faServices.postcode.prompt,
        fa.menuPrompt,
        fa.menuPrompt,
      ]);
      const { connections } = await streams(url);
      expect(connections.at(-1)?.lastEventId).toMatch(/^\d+$/);
    });

    it('on SIGTERM, lets the stream go with its position kept in the database, and exits with 0', async () => {
      const citizen = newCitizen();
      await converse(citizen, 'سلام', 0);
      const { connections } = await streams(url);
      entry.child.kill('SIGTERM');
      expect(await entry.exited).toBe(0);
      const db = createClient({ url: stack.vars.LIBSQL_URL! });
      try {
        const { rows } = await db.execute(
          "select lease_owner, last_event_id from stream_leases where name = 'soroush-legacy'",
        );
        expect(rows[0]?.lease_owner).toBeNull();
        expect(Number(rows[0]?.last_event_id)).toBeGreaterThan(0);
      } finally {
        db.close();
      }
      expect(connections.filter((c) => c.state === 'open')).toHaveLength(1);
      await expect.poll(async () => (await streams(url)).open).toBe(0);
    });
  });
}
