/**
 * Notices a citizen asks for (docs/notices.md), end to end: subscribing through the Gap webhook,
 * the GSB sandbox recording a new fine, and the scheduled run's checks under a clock the test sets
 * (the run's parts take `now` from Deps), with the notice read back from the Gap sandbox.
 */
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { daysLeft } from '../../src/conversation/notices.ts';
import { depsFor } from '../../src/deps.ts';
import { fa } from '../../src/i18n/fa.ts';
import { faIdentity } from '../../src/i18n/fa-identity.ts';
import { faNotices } from '../../src/i18n/fa-notices.ts';
import {
  DAY_MS,
  HOUR_MS,
  nextCheckAt,
  sendableAt,
  TEHRAN_OFFSET_MS,
  tehranDay,
} from '../../src/pipeline/notice-schedule.ts';
import { processChat } from '../../src/pipeline/process-chat.ts';
import { chatsWithWork } from '../../src/store/maintenance.ts';
import { MAX_PER_IDENTITY, RENEWAL_ASKED_BEFORE_MS, SUBSCRIPTION_TERM_MS } from '../../src/store/subscriptions.ts';
import { isolatePlate, readablePlate } from '../../src/validation/plate.ts';
import { Citizen, checkAt, checksOf, depsAt, movedAhead, newPlate, recordFine } from './notices.ts';
import type { Messenger } from './talk.ts';

const menuAfter = (lead: string) => `${lead}\n\n${fa.menuPrompt}`;
const plateAsRead = (nineDigits: string) => isolatePlate(readablePlate(nineDigits) ?? '');

/** The first moment at or after `at` that is `hour`:00 Tehran time. */
function tehranHourFrom(at: number, hour: number): number {
  const candidate = tehranDay(at) * DAY_MS - TEHRAN_OFFSET_MS + hour * HOUR_MS;
  return candidate >= at ? candidate : candidate + DAY_MS;
}

/** How far ahead this file's checks run (movedAhead): beyond every other file's subscriptions. */
const AHEAD_DAYS = 200;

/** A citizen bound, subscribed to a plate of their own: the subscription's row, moved ahead. */
async function subscribed(messenger: Messenger = 'gap') {
  const citizen = await Citizen.bound(messenger);
  const plate = newPlate();
  const done = await citizen.subscribe(plate.typed, true);
  expect(done.text).toBe(menuAfter(faNotices.subscribed));
  const [row] = await citizen.subscriptions();
  if (!row) throw new Error('no subscription was stored');
  return { citizen, plate, row: await movedAhead(row.id, AHEAD_DAYS) };
}

describe('notices a citizen asked for', () => {
  it("sends one notice when a new fine appears, and none on the next day's check", async () => {
    const { citizen, plate, row } = await subscribed();
    // The fines the answer listed are already seen: their keyed hashes, never the ids themselves.
    expect((JSON.parse(row.seen) as string[]).length).toBeGreaterThan(0);
    await recordFine(plate.nineDigits);

    // Not due a minute before its moment of the next day.
    expect(await checkAt(row.next_check_at - 60_000)).toMatchObject({ notices: 0 });
    expect(await checksOf(row.id)).toBe(0);
    // Its moment, moved to the morning when it falls at night.
    const firstCheck = sendableAt(row.next_check_at);
    const before = await citizen.sent();
    await checkAt(firstCheck);
    const notice = await citizen.next();
    expect(await citizen.sent()).toBe(before + 1);
    expect(notice.text).toBe(
      `🚦 ۱ خلافی تازه برای پلاک ${plateAsRead(plate.nineDigits)} ثبت شده است. برای دیدن جزئیات و پرداخت، «استعلام خلافی خودرو» را بزنید.`,
    );
    expect(notice.inline).toEqual([faNotices.cancelButton]);
    expect(await checksOf(row.id)).toBe(1);

    const secondCheck = sendableAt(nextCheckAt(row.id, firstCheck));
    expect(tehranDay(secondCheck)).toBeGreaterThan(tehranDay(firstCheck));
    await checkAt(secondCheck);
    expect(await checksOf(row.id)).toBe(2);
    expect(await citizen.sent()).toBe(before + 1);
  });

  it('holds a notice found by a check at 23:00 Tehran time until 08:00', async () => {
    const { citizen, plate, row } = await subscribed();
    await recordFine(plate.nineDigits);
    const lateAt = tehranHourFrom(row.next_check_at, 23);
    const morning = tehranHourFrom(lateAt, 8);
    expect(morning - lateAt).toBe(9 * HOUR_MS);
    const before = await citizen.sent();

    expect(await checkAt(lateAt)).toMatchObject({ notices: 1 });
    expect(await checksOf(row.id)).toBe(1);
    expect(await citizen.sent()).toBe(before);
    const { store } = await depsFor(env);
    const chat = { channel: 'gap', chatId: citizen.chatId };
    const dueAt = async (at: number) =>
      (await chatsWithWork(store, at, at, 10_000)).some((c) => c.chatId === citizen.chatId);
    // The sweep at 07:59 finds nothing to send to the chat, and sending what is due sends nothing.
    expect(await dueAt(morning - 60_000)).toBe(false);
    await processChat(await depsAt(morning - 60_000), chat);
    expect(await citizen.sent()).toBe(before);
    // At 08:00 it goes.
    expect(await dueAt(morning)).toBe(true);
    await processChat(await depsAt(morning), chat);
    expect((await citizen.next()).text).toContain(plateAsRead(plate.nineDigits));
  });

  it('does not check a subscription the citizen cancelled from «اشتراک‌های من»', async () => {
    const { citizen, plate, row } = await subscribed();
    const list = await citizen.say(faNotices.mineButton);
    expect(list.text).toBe(
      menuAfter(
        `${faNotices.heading}\n${faNotices.item(1, `خلافی پلاک ${plateAsRead(plate.nineDigits)}`, daysLeft(row.expires_at, Date.now()))}`,
      ),
    );
    expect(list.inline).toEqual([faNotices.cancelNth(1)]);
    expect((await citizen.press(faNotices.cancelNth(1))).text).toBe(menuAfter(faNotices.cancelled));
    expect(await citizen.subscriptions()).toEqual([]);
    await recordFine(plate.nineDigits);
    const before = await citizen.sent();
    await checkAt(sendableAt(row.next_check_at));
    await checkAt(sendableAt(nextCheckAt(row.id, row.next_check_at)));
    expect(await checksOf(row.id)).toBe(0);
    expect(await citizen.sent()).toBe(before);
    expect((await citizen.say(faNotices.mineButton)).text).toBe(menuAfter(faNotices.none));
  });

  it('works the same on Bale: the notice comes with its button, and the button ends the subscription', async () => {
    const { citizen, plate, row } = await subscribed('bale');
    await recordFine(plate.nineDigits);
    await checkAt(sendableAt(row.next_check_at));
    const notice = await citizen.next();
    expect(notice.text).toContain(`۱ خلافی تازه برای پلاک ${plateAsRead(plate.nineDigits)}`);
    expect(notice.buttons).toEqual([{ label: faNotices.cancelButton, kind: 'inline', value: expect.any(String) }]);
    expect((await citizen.press(faNotices.cancelButton)).text).toBe(menuAfter(faNotices.cancelled));
    expect(await citizen.subscriptions()).toEqual([]);
  });

  it('ends every subscription of a chat with «حذف اطلاعات من»', async () => {
    const { citizen, plate, row } = await subscribed();
    await citizen.say(faIdentity.eraseButton);
    expect((await citizen.say(faIdentity.eraseYes)).text).toContain(faIdentity.erased);
    expect(await citizen.subscriptions()).toEqual([]);
    await recordFine(plate.nineDigits);
    const before = await citizen.sent();
    await checkAt(sendableAt(row.next_check_at));
    expect(await checksOf(row.id)).toBe(0);
    expect(await citizen.sent()).toBe(before);
  });

  it(`refuses a national code's ${MAX_PER_IDENTITY + 1}th subscription, saying why in Persian, and still renews one of its ${MAX_PER_IDENTITY}`, async () => {
    const citizen = await Citizen.bound();
    const plates = Array.from({ length: MAX_PER_IDENTITY }, () => newPlate().typed);
    for (const [i, plate] of plates.entries()) {
      expect((await citizen.subscribe(plate, i === 0)).text).toBe(menuAfter(faNotices.subscribed));
    }
    expect((await citizen.subscribe(newPlate().typed)).text).toBe(menuAfter(faNotices.full));
    expect(await citizen.subscriptions()).toHaveLength(MAX_PER_IDENTITY);

    // Watching the first plate again, at the limit, renews it for the whole term.
    const [first] = await citizen.subscriptions();
    const { store } = await depsFor(env);
    await store.db.run(sql`update subscriptions set expires_at = expires_at - ${10 * DAY_MS} where id = ${first?.id}`);
    expect((await citizen.subscribe(plates[0] as string)).text).toBe(menuAfter(faNotices.subscribed));
    const renewed = (await citizen.subscriptions()).find((row) => row.id === first?.id);
    expect(renewed?.expires_at).toBeGreaterThanOrEqual(Date.now() + SUBSCRIPTION_TERM_MS - 60_000);
  }, 60_000);

  it('asks a week before the end whether to renew, and renews for 90 days on «تمدید»', async () => {
    const { citizen, row } = await subscribed();
    const weekBefore = sendableAt(row.expires_at - RENEWAL_ASKED_BEFORE_MS + 60_000);
    // The days before were checked already (daily): only that day's check is left.
    const { store } = await depsFor(env);
    await store.db.run(sql`update subscriptions set next_check_at = ${weekBefore} where id = ${row.id}`);
    await checkAt(weekBefore);
    const asked = await citizen.next();
    expect(asked.text).toContain('۷ روز دیگر تمام می‌شود');
    expect(asked.inline).toEqual([faNotices.renewButton, faNotices.cancelButton]);
    expect((await citizen.press(faNotices.renewButton)).text).toBe(menuAfter(faNotices.renewed));
    // 90 days from the press (today), sooner than the moved end: what counts is that it was set.
    const [after] = await citizen.subscriptions();
    expect(after?.expires_at).not.toBe(row.expires_at);
    expect(Math.abs((after?.expires_at ?? 0) - (Date.now() + SUBSCRIPTION_TERM_MS))).toBeLessThan(60_000);
  });
});
