import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { fa } from '../../src/i18n/fa.ts';
import { faServices } from '../../src/i18n/fa-services.ts';
import { faValidation } from '../../src/i18n/fa-validation.ts';
import { converse, keyboardLabels, newChatId, postBody, postUpdate, sendText, waitForMessages } from './gap.ts';

/** How many times the chat was shown "typing…". */
async function typingShown(chatId: string): Promise<number> {
  const response = await fetch(`${env.GAP_API_BASE}/_sandbox/typing?chat_id=${chatId}`);
  return ((await response.json()) as { typing: unknown[] }).typing.length;
}

describe('a Gap conversation through the webhook', () => {
  it('answers the first message with 200 and then sends the main menu on a reply keyboard', async () => {
    const chatId = newChatId();
    const response = await sendText(chatId, 'سلام');
    expect(response.status).toBe(200);
    const [menu] = await waitForMessages(chatId, 1);
    expect(menu?.data).toContain(fa.greeting);
    expect(keyboardLabels(menu!)).toContain(faServices.postcode.title);
  });

  it('looks up the address of a postcode typed in Persian digits', async () => {
    const chatId = newChatId();
    await converse(chatId, 'سلام', 0);
    const question = await converse(chatId, 'نشانی از کد پستی', 1);
    expect(question.data).toBe(faServices.postcode.prompt);
    const answer = await converse(chatId, '۱۱۹۳۶۵۳۴۷۱', 2);
    expect(answer.data).toContain('۱۱۹۳۶۵۳۴۷۱');
    expect(answer.data).toMatch(/استان .+، شهرستان .+/);
    expect(keyboardLabels(answer)).toContain(faServices.postcode.title);
    // The bus answered at once: no "typing…" flickered before the answer.
    expect(await typingShown(chatId)).toBe(0);
  });

  it('shows "typing…" while the bus takes its time, once', async () => {
    const chatId = newChatId();
    await converse(chatId, 'سلام', 0);
    await converse(chatId, 'نشانی از کد پستی', 1);
    const answer = await converse(chatId, '7777777777', 2);
    expect(answer.data).toContain('۷۷۷۷۷۷۷۷۷۷');
    expect(await typingShown(chatId)).toBe(1);
  });

  it('gives the reason for a wrong postcode, asks again, and goes back to the menu on «منو»', async () => {
    const chatId = newChatId();
    await converse(chatId, 'سلام', 0);
    await converse(chatId, 'نشانی از کد پستی', 1);
    const retry = await converse(chatId, '0123456789', 2);
    expect(retry.data).toBe(`${faValidation.postcodeInvalid}\n\n${faServices.postcode.prompt}`);
    const menu = await converse(chatId, 'منو', 3);
    expect(menu.data).toBe(fa.menuPrompt);
    expect(keyboardLabels(menu)).toContain(faServices.postcode.title);
  });

  it('tells the citizen when the bus has no record for the postcode', async () => {
    const chatId = newChatId();
    await converse(chatId, 'سلام', 0);
    await converse(chatId, 'نشانی از کد پستی', 1);
    const answer = await converse(chatId, '9999999999', 2);
    expect(answer.data).toContain(faServices.postcode.notFound);
  });

  it('accepts a JSON body as well as a form', async () => {
    const chatId = newChatId();
    const update = { chat_id: Number(chatId), type: 'text', data: 'سلام' };
    const response = await postBody(JSON.stringify(update), 'application/json');
    expect(response.status).toBe(200);
    await waitForMessages(chatId, 1);
  });
});

describe('the webhook refuses what it must', () => {
  it('answers 400, not 500, to a malformed update', async () => {
    expect((await postUpdate({ type: 'text', data: 'x' })).status).toBe(400);
    expect((await postUpdate({ chat_id: '1', type: 'text' })).status).toBe(400);
    expect((await postBody('{"chat_id":', 'application/json')).status).toBe(400);
  });

  it('answers 404 to a wrong secret, exactly as to an unknown path', async () => {
    const wrong = await postUpdate({ chat_id: '1', type: 'text', data: 'x' }, 'not-the-secret');
    const unknown = await postUpdate({ chat_id: '1', type: 'text', data: 'x' }, `${env.GAP_WEBHOOK_SECRET}/more`);
    expect(wrong.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(await wrong.text()).toBe(await unknown.text());
  });

  it('answers 413 to a body over 64 KiB', async () => {
    const response = await postUpdate({ chat_id: '1', type: 'text', data: 'ا'.repeat(40 * 1024) });
    expect(response.status).toBe(413);
  });
});
