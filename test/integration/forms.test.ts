import { describe, expect, it } from 'vitest';
import { fa } from '../../src/i18n/fa.ts';
import { faServices } from '../../src/i18n/fa-services.ts';
import { faValidation } from '../../src/i18n/fa-validation.ts';
import { converse, keyboardLabels, newChatId } from './gap.ts';

/** Greets a new chat and opens the postcode form: two replies sent. */
async function openPostcodeForm(chatId: string) {
  await converse(chatId, 'سلام', 0);
  return converse(chatId, faServices.postcode.title, 1);
}

describe('a forgiving form through the Gap webhook', () => {
  it('shows «بازگشت», «راهنما» and «لغو» on the keyboard under the postcode question', async () => {
    const question = await openPostcodeForm(newChatId());
    expect(question.data).toBe(faServices.postcode.prompt);
    expect(keyboardLabels(question)).toEqual([fa.backButton, fa.helpButton, fa.cancelButton]);
  });

  it('cancels the postcode form on «لغو» with a confirmation and the menu', async () => {
    const chatId = newChatId();
    await openPostcodeForm(chatId);
    const menu = await converse(chatId, 'لغو', 2);
    expect(menu.data).toBe(`${fa.cancelled}\n\n${fa.menuPrompt}`);
    expect(keyboardLabels(menu)).toContain(faServices.postcode.title);
  });

  it('goes back from the postcode question to the menu on «بازگشت», and the form opens again', async () => {
    const chatId = newChatId();
    await openPostcodeForm(chatId);
    const menu = await converse(chatId, 'بازگشت', 2);
    expect(menu.data).toBe(fa.menuPrompt);
    expect(keyboardLabels(menu)).toContain(faServices.postcode.title);
    const question = await converse(chatId, faServices.postcode.title, 3);
    expect(question.data).toBe(faServices.postcode.prompt);
  });

  it('explains the postcode question on «راهنما» and still takes the answer after it', async () => {
    const chatId = newChatId();
    await openPostcodeForm(chatId);
    const help = await converse(chatId, 'راهنما', 2);
    expect(help.data).toContain(faServices.postcode.help);
    expect(help.data.endsWith(faServices.postcode.prompt)).toBe(true);
    const answer = await converse(chatId, '۱۱۹۳۶۵۳۴۷۱', 3);
    expect(answer.data).toContain('۱۱۹۳۶۵۳۴۷۱');
  });

  it('explains how the bot works on «راهنما» at the menu', async () => {
    const chatId = newChatId();
    await converse(chatId, 'سلام', 0);
    const help = await converse(chatId, 'راهنما', 1);
    expect(help.data).toBe(`${fa.howItWorks}\n\n${fa.menuPrompt}`);
    expect(keyboardLabels(help)).toContain(faServices.postcode.title);
  });

  it('returns to the menu with a kind word after three wrong postcodes', async () => {
    const chatId = newChatId();
    await openPostcodeForm(chatId);
    const first = await converse(chatId, '123', 2);
    expect(first.data).toBe(`${faValidation.postcodeLength}\n\n${faServices.postcode.prompt}`);
    await converse(chatId, '0123456789', 3);
    const menu = await converse(chatId, 'کد پستی', 4);
    expect(menu.data).toBe(`${fa.tooManyTries}\n\n${fa.menuPrompt}`);
    expect(keyboardLabels(menu)).toContain(faServices.postcode.title);
  });
});
