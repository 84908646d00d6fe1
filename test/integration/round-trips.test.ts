/**
 * The round-trip budget (docs/architecture.md, "Round trips"), counted at the libSQL server: every
 * update of a public service costs at most three, the webhook's included, also when it arrives
 * while its chat is held (no failed acquire, no re-acquire).
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { fa } from '../../src/i18n/fa.ts';
import { faNotices } from '../../src/i18n/fa-notices.ts';
import { faServices } from '../../src/i18n/fa-services.ts';
import { faValidation } from '../../src/i18n/fa-validation.ts';
import { fixtures, newChatId as newBotApiChatId, postUpdate, waitForMessages as waitForBale } from './bot-api.ts';
import { roundTrips, waitForRelease, watchRoundTrips } from './database.ts';
import { newChatId, sendText, waitForMessages } from './gap.ts';
import { Citizen, newPlate } from './notices.ts';
import { runScheduled } from './worker.ts';

/** The most round trips an update of a public service may cost, everything it causes included. */
const BUDGET = 3;

describe('round trips per update', () => {
  it('costs three for each step of the 4-step postcode conversation on Bale, the bus call included', async () => {
    const chatId = newBotApiChatId();
    await watchRoundTrips(chatId);
    const steps = ['/start', faServices.postcode.title, '0123456789', '۱۱۹۳۶۵۳۴۷۱'];
    const perStep: number[] = [];
    for (const [i, text] of steps.entries()) {
      const before = await roundTrips(chatId);
      // Waits for the work the webhook started: the step's every round trip is in when it returns.
      expect((await postUpdate('bale', fixtures.text(chatId, text))).status).toBe(200);
      await waitForBale('bale', chatId, i + 1);
      await waitForRelease('bale', chatId);
      perStep.push((await roundTrips(chatId)) - before);
    }
    const messages = await waitForBale('bale', chatId, 4);
    expect(messages[2]?.text).toBe(`${faValidation.postcodeInvalid}\n\n${faServices.postcode.prompt}`);
    expect(messages[3]?.text).toContain('۱۱۹۳۶۵۳۴۷۱');
    expect(perStep).toEqual([BUDGET, BUDGET, BUDGET, BUDGET]);
  });

  it('costs no extra round trip for a message that arrives while its chat is held', async () => {
    const chatId = newChatId();
    await watchRoundTrips(chatId);
    for (const [i, text] of ['سلام', faServices.postcode.title].entries()) {
      await sendText(chatId, text);
      await waitForMessages(chatId, i + 1);
      await waitForRelease('gap', chatId);
    }
    const before = await roundTrips(chatId);
    // The slow postcode keeps the bus busy for seconds: the chat is held from its webhook's batch on.
    expect((await sendText(chatId, '7777777777')).status).toBe(200);
    expect((await sendText(chatId, 'منو')).status).toBe(200);
    const [, , answer, menu] = await waitForMessages(chatId, 4);
    await waitForRelease('gap', chatId);
    expect(answer?.data).toContain('۷۷۷۷۷۷۷۷۷۷');
    expect(menu?.data).toBe(fa.menuPrompt);
    expect((await roundTrips(chatId)) - before).toBe(2 * BUDGET);
  });

  it('spends none of a scheduled run on resealing while PII_KEYS holds the current key alone', async () => {
    // Every query of a reseal passes the current key's prefix as an argument.
    const prefix = `${env.PII_KEY_ID}.%`;
    await watchRoundTrips(prefix);
    await runScheduled();
    expect(await roundTrips(prefix)).toBe(0);
    // While an older key is kept too, the same run looks for values to move (one read per sealed column).
    const older = { older1: btoa(String.fromCharCode(...new Uint8Array(32).fill(7))) };
    await runScheduled({ ...env, PII_KEYS: JSON.stringify({ ...JSON.parse(String(env.PII_KEYS)), ...older }) });
    expect(await roundTrips(prefix)).toBeGreaterThan(0);
  });

  it('costs one more to subscribe and to list subscriptions (a read of what they need), and three to end one', async () => {
    const citizen = await Citizen.bound();
    await citizen.say(newPlate().typed);
    await citizen.press(faNotices.notifyButton);
    await watchRoundTrips(citizen.chatId);
    const cost = async (act: () => Promise<unknown>) => {
      const before = await roundTrips(citizen.chatId);
      await act();
      return (await roundTrips(citizen.chatId)) - before;
    };
    // «بله، خبرم کن» reads the bound identity (its national code's hash counts the limit of 3).
    expect(await cost(() => citizen.press(faNotices.yesButton))).toBe(BUDGET + 1);
    // «اشتراک‌های من» reads the subscriptions.
    expect(await cost(() => citizen.say(faNotices.mineButton))).toBe(BUDGET + 1);
    // Ending one needs nothing read: the statement names the chat.
    expect(await cost(() => citizen.press(faNotices.cancelNth(1)))).toBe(BUDGET);
    expect(await citizen.subscriptions()).toEqual([]);
  });
});
