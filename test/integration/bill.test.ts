import { describe, expect, it } from 'vitest';
import { faServices } from '../../src/i18n/fa-services.ts';
import { faValidation } from '../../src/i18n/fa-validation.ts';
import { isValidPaymentId, paymentAmount } from '../../src/validation/bill.ts';
import { type Chat, type Reply, talk } from './talk.ts';

const LANDLINE = '7748317800142';

/** Opens a Gap chat, presses «استعلام قبض» on the menu and returns the chat at its question. */
async function askForBill(): Promise<[Chat, Reply]> {
  const chat = await talk('gap');
  await chat.say('سلام');
  expect((await chat.reply()).keyboard).toContain(faServices.bill.title);
  await chat.press(faServices.bill.title);
  return [chat, await chat.reply()];
}

describe('a bill inquiry through the Gap webhook', () => {
  it('answers a bill id typed in Persian digits with the amount in tomans, the due date and both ids in Latin digits', async () => {
    const [chat, question] = await askForBill();
    expect(question.text).toBe(faServices.bill.prompt);
    await chat.say('۷۷۴۸۳۱۷۸۰۰۱۴۲');
    const answer = await chat.reply();
    const lines = answer.text.split('\n');
    expect(answer).toAnswer(faServices.bill.types.landline);
    expect(answer).toAnswer(/[۰-۹٬]+ تومان/);
    expect(answer).toAnswer(/۱۴۰۵\/[۰-۹]{2}\/[۰-۹]{2}/);
    expect(lines).toContain(LANDLINE);
    const paymentId = lines[lines.indexOf(faServices.bill.paymentId) + 1] ?? '';
    expect(isValidPaymentId(LANDLINE, paymentId)).toBe(true);
    const tomans = new Intl.NumberFormat('fa-IR').format(paymentAmount(paymentId) / 10);
    expect(answer).toAnswer(`${tomans} تومان`);
    expect(answer.keyboard).toContain(faServices.bill.title);
  });

  it('gives the reason for a wrong check digit and asks again, then takes the right bill id', async () => {
    const [chat] = await askForBill();
    await chat.say('7748317800143');
    const retry = await chat.reply();
    expect(retry).toGiveReason(faValidation.billIdCheckDigit);
    expect(retry).toAsk(faServices.bill.prompt);
    await chat.say(LANDLINE);
    expect((await chat.reply()).text.split('\n')).toContain(LANDLINE);
  });

  it('names what the type digit says for a municipality bill, and asks again', async () => {
    const [chat] = await askForBill();
    await chat.say('۷۷۴۸۳۱۷۸۰۰۱۶۹');
    const retry = await chat.reply();
    expect(retry).toGiveReason(faValidation.billIdNotUtility.municipality);
    expect(retry).toAsk(faServices.bill.prompt);
  });

  it('says the type digit names no bill for an unknown type, and asks again', async () => {
    const [chat] = await askForBill();
    await chat.say('7748317800177');
    const retry = await chat.reply();
    expect(retry).toGiveReason(faValidation.billIdUnknownType);
    expect(retry).toAsk(faServices.bill.prompt);
  });

  it('says so when the bus has no unpaid bill for the id', async () => {
    const [chat] = await askForBill();
    await chat.say('9999999999921');
    expect(await chat.reply()).toAnswer(faServices.bill.notFound);
  });
});
