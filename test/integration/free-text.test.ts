/**
 * Said in the citizen's own words, through the webhooks of Gap and Bale: an identifier typed at the
 * menu is answered at once, a plate after binding without being asked for again, a phrase finds its
 * service, and a national code goes nowhere.
 */
import { describe, expect, it } from 'vitest';
import { fa } from '../../src/i18n/fa.ts';
import { faIdentity } from '../../src/i18n/fa-identity.ts';
import { faServices } from '../../src/i18n/fa-services.ts';
import { international, newNationalCode, newPerson } from './binding.ts';
import * as botApi from './bot-api.ts';
import { converse, newChatId } from './gap.ts';
import { talk } from './talk.ts';

describe('free text at the menu, through the Gap webhook', () => {
  it('answers a bare postcode typed after «سلام» with its address', async () => {
    const chatId = newChatId();
    await converse(chatId, 'سلام', 0);
    const answer = await converse(chatId, '۱۱۹۳۶۵۳۴۷۱', 1);
    expect(answer.data).toContain(`${faServices.postcode.heading} ۱۱۹۳۶۵۳۴۷۱`);
  });

  it('answers «قبض» and a bill id in one message with the bill', async () => {
    const chatId = newChatId();
    await converse(chatId, 'سلام', 0);
    const answer = await converse(chatId, 'قبض ۷۷۴۸۳۱۷۸۰۰۱۴۲', 1);
    expect(answer.data).toContain(`${faServices.bill.heading} ${faServices.bill.types.landline}`);
    expect(answer.data).toContain('7748317800142');
  });

  it('opens the traffic fines for «خلافی ماشینم رو میخوام», binding first', async () => {
    const chatId = newChatId();
    await converse(chatId, 'سلام', 0);
    const notice = await converse(chatId, 'خلافی ماشینم رو میخوام', 1);
    expect(notice.data).toBe(`${faIdentity.notice}\n\n${faIdentity.askContact}`);
  });

  it('binds, then answers the fines of a plate typed at the menu without asking for it', async () => {
    const chat = await talk('gap');
    await chat.bind('۱۲ ب ۳۴۵ ایران ۶۷', newPerson());
    const answer = await chat.reply();
    expect(answer).toAnswer(faServices.trafficFines.heading);
    expect(answer.text).not.toBe(faServices.trafficFines.prompt);
  });

  it('sends a national code typed at the menu nowhere and says what it is for', async () => {
    const chatId = newChatId();
    await converse(chatId, 'سلام', 0);
    const reply = await converse(chatId, newNationalCode(), 1);
    expect(reply.data).toBe(`${fa.personalAtMenu.nationalCode}\n\n${fa.menuPrompt}`);
  });
});

describe('free text at the menu, through the Bale webhook', () => {
  it('answers a bare postcode typed after «سلام» with its address', async () => {
    const chatId = botApi.newChatId();
    await botApi.converse('bale', chatId, 'سلام', 0);
    await botApi.postUpdate('bale', botApi.fixtures.text(chatId, '1193653471'));
    const messages = await botApi.waitForMessages('bale', chatId, 2);
    expect(
      messages
        .slice(1)
        .map((message) => message.text)
        .join('\n'),
    ).toContain(faServices.postcode.heading);
  });

  it('binds with the citizen’s own card, then answers the fines of the plate given with «خلافی»', async () => {
    const chatId = botApi.newChatId();
    const { mobile, nationalCode } = newPerson();
    await botApi.converse('bale', chatId, 'سلام', 0);
    const notice = await botApi.converse('bale', chatId, 'خلافی ۱۲ ب ۳۴۵ ایران ۶۷', 1);
    expect(notice.text).toBe(`${faIdentity.notice}\n\n${faIdentity.askContact}`);
    await botApi.postUpdate('bale', botApi.fixtures.contact(chatId, international(mobile)));
    await botApi.waitForMessages('bale', chatId, 3);
    await botApi.postUpdate('bale', botApi.fixtures.text(chatId, nationalCode));
    const messages = await botApi.waitForMessages('bale', chatId, 5);
    expect(messages[3]?.text).toBe(faIdentity.bound);
    const after = messages.slice(4).map((message) => message.text);
    expect(after.join('\n')).toContain(faServices.trafficFines.heading);
    expect(after).not.toContain(faServices.trafficFines.prompt);
  });
});
