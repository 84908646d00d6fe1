import { describe, expect, it } from 'vitest';
import { fa } from '../../src/i18n/fa.ts';
import { faServices } from '../../src/i18n/fa-services.ts';
import { faValidation } from '../../src/i18n/fa-validation.ts';
import { type Chat, type Reply, talk } from './talk.ts';

/** A new Gap chat, greeted, with the postcode form opened from the menu's button: returns the question. */
async function openPostcodeForm(): Promise<[Chat, Reply]> {
  const chat = await talk('gap');
  await chat.say('سلام');
  expect(await chat.reply()).toOffer(faServices.postcode.title);
  await chat.press(faServices.postcode.title);
  return [chat, await chat.reply()];
}

describe('a forgiving form through the Gap webhook', () => {
  it('shows «بازگشت», «راهنما» and «لغو» on the keyboard under the postcode question', async () => {
    const [, question] = await openPostcodeForm();
    expect(question.text).toBe(faServices.postcode.prompt);
    expect(question.keyboard).toEqual([fa.backButton, fa.helpButton, fa.cancelButton]);
  });

  it('cancels the postcode form on «لغو» with a confirmation and the menu', async () => {
    const [chat] = await openPostcodeForm();
    await chat.press(fa.cancelButton);
    const menu = await chat.reply();
    expect(menu.text).toBe(`${fa.cancelled}\n\n${fa.menuPrompt}`);
    expect(menu).toOffer(faServices.postcode.title);
  });

  it('goes back from the postcode question to the menu on «بازگشت», and the form opens again', async () => {
    const [chat] = await openPostcodeForm();
    await chat.press(fa.backButton);
    const menu = await chat.reply();
    expect(menu.text).toBe(fa.menuPrompt);
    expect(menu).toOffer(faServices.postcode.title);
    await chat.press(faServices.postcode.title);
    expect((await chat.reply()).text).toBe(faServices.postcode.prompt);
  });

  it('explains the postcode question on «راهنما» and still takes the answer after it', async () => {
    const [chat] = await openPostcodeForm();
    await chat.press(fa.helpButton);
    const help = await chat.reply();
    expect(help).toAnswer(faServices.postcode.help);
    expect(help).toAsk(faServices.postcode.prompt);
    await chat.say('۱۱۹۳۶۵۳۴۷۱');
    expect(await chat.reply()).toAnswer('۱۱۹۳۶۵۳۴۷۱');
  });

  it('explains how the bot works on «راهنما» at the menu', async () => {
    const chat = await talk('gap');
    await chat.say('سلام');
    await chat.reply();
    await chat.say('راهنما');
    const help = await chat.reply();
    expect(help.text).toBe(`${fa.howItWorks}\n\n${fa.menuPrompt}`);
    expect(help).toOffer(faServices.postcode.title);
  });

  it('returns to the menu with a kind word after three wrong postcodes', async () => {
    const [chat] = await openPostcodeForm();
    await chat.say('123');
    const first = await chat.reply();
    expect(first.text).toBe(`${faValidation.postcodeLength}\n\n${faServices.postcode.prompt}`);
    expect(first).toGiveReason(faValidation.postcodeLength);
    await chat.say('0123456789');
    expect(await chat.reply()).toGiveReason(faValidation.postcodeInvalid);
    await chat.say('کد پستی');
    const menu = await chat.reply();
    expect(menu.text).toBe(`${fa.tooManyTries}\n\n${fa.menuPrompt}`);
    expect(menu).toOffer(faServices.postcode.title);
  });
});
