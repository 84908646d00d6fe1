/**
 * Failure met honestly, through the Gap webhook: an agency that is down gets the honest message and
 * a «تلاش دوباره» button that repeats the same inquiry without asking again; a conversation left
 * idle for 15 minutes starts over politely.
 */

import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { depsFor } from '../../src/deps.ts';
import { fa } from '../../src/i18n/fa.ts';
import { faServices } from '../../src/i18n/fa-services.ts';
import { processChat } from '../../src/pipeline/process-chat.ts';
import { claimEvent } from '../../src/store/inbox.ts';
import { inbound } from '../support/events.ts';
import { converse, newChatId, postUpdate, waitForMessages } from './gap.ts';
import { gsbCalls } from './gsb.ts';

/** The sandbox's postcode whose agency always fails: the client retries within its 20 s deadline. */
const FAILING_POSTCODE = '8888888888';

async function postcodeCalls() {
  return (await gsbCalls()).filter((call) => call.path.endsWith('/addressByPostcode') && call.status >= 500);
}

describe('failure met honestly', () => {
  it('says the agency is down, offers «تلاش دوباره», and the button repeats the inquiry without asking again', async () => {
    const chatId = newChatId();
    await converse(chatId, 'سلام', 0);
    await converse(chatId, faServices.postcode.title, 1);
    const before = new Set((await postcodeCalls()).map((call) => call.idempotencyKey));
    await postUpdate({ chat_id: chatId, type: 'text', data: FAILING_POSTCODE });
    const [, , down] = await waitForMessages(chatId, 3, 30_000);
    expect(down?.data).toContain(fa.upstream.unavailable);
    const retry = down?.inline_keyboard?.flat().find((button) => button.text === fa.retryButton);
    expect(retry).toBeDefined();

    const press = JSON.stringify({ data: retry?.cb_data, message_id: down?.id, callback_id: `retry-${chatId}` });
    expect((await postUpdate({ chat_id: chatId, type: 'triggerButton', data: press })).status).toBe(200);
    const [, , , again] = await waitForMessages(chatId, 4, 30_000);
    // The same inquiry was made again, as a new call: no question in between.
    expect(again?.data).toContain(fa.upstream.unavailable);
    const keys = new Set((await postcodeCalls()).map((call) => call.idempotencyKey).filter((key) => !before.has(key)));
    expect(keys.size).toBe(2);
  }, 70_000);

  it('greets again, and says the half-filled form was closed, after 15 minutes of silence', async () => {
    const chatId = newChatId();
    await converse(chatId, 'سلام', 0);
    await converse(chatId, faServices.postcode.title, 1);
    // The next message comes 16 minutes later: stored as the webhook stores it, then processed.
    const deps = await depsFor(env);
    const receivedAt = Date.now() + 16 * 60_000;
    const event = inbound(receivedAt, { chatId, text: '1193653471', dedupeKey: `idle-${chatId}` });
    expect(
      (await claimEvent(deps.store, event, { key: event.dedupeKey, expiresAt: receivedAt }, Date.now())).id,
    ).not.toBeNull();
    await processChat(deps, { channel: 'gap', chatId });
    const [, , greeting] = await waitForMessages(chatId, 3);
    expect(greeting?.data).toContain(fa.greeting);
    expect(greeting?.data).toContain(fa.formExpired);
  });
});

/** A valid postcode of its own for each test (Iran Post's rule), so that a gateway fault matches only its calls. */
function newPostcode(): string {
  const digit = () => '1346789'[Math.floor(Math.random() * 7)] as string;
  return Array.from({ length: 10 }, digit).join('');
}

async function gatewayErrors(errors: { status: number; retryAfter?: number; match: string }[]): Promise<void> {
  const response = await fetch(`${env.GSB_BASE_URL}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ gatewayErrors: errors }),
  });
  expect(response.status).toBe(200);
}

describe("a gateway's errors in front of the bus", () => {
  it('are no answer: two unsigned 503s, then the address', async () => {
    const chatId = newChatId();
    const postcode = newPostcode();
    await gatewayErrors([
      { status: 503, match: postcode },
      { status: 503, match: postcode },
    ]);
    await converse(chatId, 'سلام', 0);
    await converse(chatId, faServices.postcode.title, 1);
    const answer = await converse(chatId, postcode, 2);
    expect(answer.data).toMatch(/استان .+، شهرستان .+/);
  });

  it("are waited out as an unsigned 429's Retry-After says, then the address", async () => {
    const chatId = newChatId();
    const postcode = newPostcode();
    await gatewayErrors([{ status: 429, retryAfter: 1, match: postcode }]);
    await converse(chatId, 'سلام', 0);
    await converse(chatId, faServices.postcode.title, 1);
    const sent = Date.now();
    const answer = await converse(chatId, postcode, 2);
    expect(answer.data).toMatch(/استان .+، شهرستان .+/);
    expect(Date.parse(answer.time) - sent).toBeGreaterThanOrEqual(1_000);
  });
});
