import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { menuKeyboard } from '../../src/conversation/keyboards.ts';
import { fa } from '../../src/i18n/fa.ts';
import { faServices } from '../../src/i18n/fa-services.ts';
import { faValidation } from '../../src/i18n/fa-validation.ts';
import { catalogue } from '../../src/services/catalogue.ts';
import {
  converse,
  fixtures,
  injectSendFault,
  keyboardLabels,
  type Messenger,
  newChatId,
  post,
  postUpdate,
  sandboxUrl,
  waitForMessages,
} from './bot-api.ts';
import { waitUntilSettled } from './database.ts';

/** Waits for `expected` messages and for the chat to settle (nothing more in flight), then returns them all. */
async function settledMessages(messenger: Messenger, chatId: string, expected: number) {
  await waitForMessages(messenger, chatId, expected);
  await waitUntilSettled(messenger, chatId);
  return waitForMessages(messenger, chatId, expected);
}

const menuAsSent = {
  keyboard: menuKeyboard(catalogue).map((row) => row.map((button) => ({ text: button.label }))),
  resize_keyboard: true,
  one_time_keyboard: false,
};

describe.each<Messenger>(['soroush', 'bale'])('%s through the Bot API webhook', (messenger) => {
  it('holds a whole conversation: menu, postcode form, a wrong postcode, a right one, the menu again', async () => {
    const chatId = newChatId();
    const menu = await converse(messenger, chatId, '/start', 0);
    expect(menu.chat_id).toBe(chatId);
    expect(menu.text).toContain(fa.greeting);
    expect(menu.reply_markup).toEqual(menuAsSent);

    const question = await converse(messenger, chatId, 'نشانی از کد پستی', 1);
    expect(question.text).toBe(faServices.postcode.prompt);
    expect(keyboardLabels(question)).toEqual([fa.backButton, fa.helpButton, fa.cancelButton]);

    const retry = await converse(messenger, chatId, '0123456789', 2);
    expect(retry.text).toBe(`${faValidation.postcodeInvalid}\n\n${faServices.postcode.prompt}`);

    const address = await converse(messenger, chatId, '۱۱۹۳۶۵۳۴۷۱', 3);
    expect(address.text).toContain('۱۱۹۳۶۵۳۴۷۱');
    expect(address.text).toMatch(/استان .+، شهرستان .+/);
    expect(address.reply_markup).toEqual(menuAsSent);
    // A message has one markup: the next step's buttons come on the closing words, a message of their own.
    const [, , , , next] = await waitForMessages(messenger, chatId, 5);
    expect(next?.text).toBe(fa.menuPrompt);
    expect(next?.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: fa.againButton, callback_data: '/again' },
          { text: fa.menuButton, callback_data: fa.menuButton },
        ],
      ],
    });
    // The bus answered at once: no "typing…" before the answer (webhook.test.ts shows it for a slow one).
    const typing = await fetch(`${sandboxUrl(messenger)}/_sandbox/typing?chat_id=${chatId}`);
    expect(((await typing.json()) as { typing: unknown[] }).typing).toHaveLength(0);

    const back = await converse(messenger, chatId, 'منو', 5);
    expect(back.text).toBe(fa.menuPrompt);
    expect(back.reply_markup).toEqual(menuAsSent);
  });

  it('answers the same update, delivered ten times, once', async () => {
    const chatId = newChatId();
    const update = fixtures.text(chatId, 'سلام');
    const responses = await Promise.all(Array.from({ length: 10 }, () => postUpdate(messenger, update)));
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(await settledMessages(messenger, chatId, 1)).toHaveLength(1);
  });

  it('sends a reply once, after the wait, when the messenger first answers 429 with retry_after 1', async () => {
    const chatId = newChatId();
    await injectSendFault(messenger, { status: 429, retryAfter: 1, count: 1, chat_id: chatId });
    const started = Date.now();
    await postUpdate(messenger, fixtures.text(chatId, 'سلام'));
    const messages = await settledMessages(messenger, chatId, 1);
    expect(messages).toHaveLength(1);
    expect(Date.parse(messages[0]?.time ?? '') - started).toBeGreaterThanOrEqual(1_000);
  });

  it('acknowledges an inline button press with answerCallbackQuery', async () => {
    const chatId = newChatId();
    await converse(messenger, chatId, '/start', 0);
    const callbackId = `cbq-${chatId}`;
    expect((await postUpdate(messenger, fixtures.callback(chatId, 'منو', callbackId))).status).toBe(200);
    const [, menu] = await waitForMessages(messenger, chatId, 2);
    expect(menu?.text).toBe(fa.menuPrompt);
    const response = await fetch(`${sandboxUrl(messenger)}/_sandbox/conversation`);
    const { entries } = (await response.json()) as { entries: { side: string; callback_query_id?: string }[] };
    expect(entries.filter((entry) => entry.side === 'callback' && entry.callback_query_id === callbackId)).toHaveLength(
      1,
    );
  });

  it('hears a shared contact, and says it understands only text for now', async () => {
    const chatId = newChatId();
    await converse(messenger, chatId, '/start', 0);
    expect((await postUpdate(messenger, fixtures.contact(chatId, '989121234567'))).status).toBe(200);
    const [, reply] = await waitForMessages(messenger, chatId, 2);
    expect(reply?.text).toBe(fa.unsupportedMessage);
  });

  it('answers 400, not 500, to a malformed update', async () => {
    expect((await post(messenger, '{"update_id":')).status).toBe(400);
    expect((await post(messenger, '[]')).status).toBe(400);
    expect((await post(messenger, '{"message":{"chat":{"id":1},"text":"x"}}')).status).toBe(400);
    expect((await post(messenger, '{"update_id":1,"message":{"text":"x"}}')).status).toBe(400);
  });

  it('answers 404 to a wrong path secret, exactly as to an unknown path', async () => {
    const update = fixtures.text(newChatId(), 'سلام');
    const wrong = await postUpdate(messenger, update, { secret: 'not-the-secret' });
    const unknown = await postUpdate(messenger, update, {
      secret: `${env[`${messenger.toUpperCase()}_WEBHOOK_SECRET`]}/more`,
    });
    expect(wrong.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(await wrong.text()).toBe(await unknown.text());
  });

  it('answers 404 when the configured secret-token header is missing or wrong, and needs none when none is set', async () => {
    const chatId = newChatId();
    expect((await postUpdate(messenger, fixtures.text(chatId, 'سلام'), { secretToken: null })).status).toBe(404);
    expect((await postUpdate(messenger, fixtures.text(chatId, 'سلام'), { secretToken: 'not-the-token' })).status).toBe(
      404,
    );
    const unset = { ...env, [`${messenger.toUpperCase()}_SECRET_TOKEN`]: '' };
    expect(
      (await postUpdate(messenger, fixtures.text(chatId, 'سلام'), { secretToken: null, vars: unset })).status,
    ).toBe(200);
    await waitForMessages(messenger, chatId, 1);
  });
});
