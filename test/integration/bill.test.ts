import { describe, expect, it } from 'vitest';
import { faServices } from '../../src/i18n/fa-services.ts';
import { faValidation } from '../../src/i18n/fa-validation.ts';
import { isValidPaymentId, paymentAmount } from '../../src/validation/bill.ts';
import { converse, keyboardLabels, newChatId } from './gap.ts';

const LANDLINE = '7748317800142';

/** Opens a chat, picks «استعلام قبض» from the menu and returns the question. */
async function askForBill(chatId: string) {
  const menu = await converse(chatId, 'سلام', 0);
  expect(keyboardLabels(menu)).toContain(faServices.bill.title);
  return converse(chatId, faServices.bill.title, 1);
}

describe('a bill inquiry through the Gap webhook', () => {
  it('answers a bill id typed in Persian digits with the amount in tomans, the due date and both ids in Latin digits', async () => {
    const chatId = newChatId();
    const question = await askForBill(chatId);
    expect(question.data).toBe(faServices.bill.prompt);
    const answer = await converse(chatId, '۷۷۴۸۳۱۷۸۰۰۱۴۲', 2);
    const lines = answer.data.split('\n');
    expect(answer.data).toContain(faServices.bill.types.landline);
    expect(answer.data).toMatch(/[۰-۹٬]+ تومان/);
    expect(answer.data).toMatch(/۱۴۰۵\/[۰-۹]{2}\/[۰-۹]{2}/);
    expect(lines).toContain(LANDLINE);
    const paymentId = lines[lines.indexOf(faServices.bill.paymentId) + 1] ?? '';
    expect(isValidPaymentId(LANDLINE, paymentId)).toBe(true);
    const tomans = new Intl.NumberFormat('fa-IR').format(paymentAmount(paymentId) / 10);
    expect(answer.data).toContain(`${tomans} تومان`);
    expect(keyboardLabels(answer)).toContain(faServices.bill.title);
  });

  it('gives the reason for a wrong check digit and asks again, then takes the right bill id', async () => {
    const chatId = newChatId();
    await askForBill(chatId);
    const retry = await converse(chatId, '7748317800143', 2);
    expect(retry.data).toContain(faValidation.billIdCheckDigit);
    expect(retry.data).toContain(faServices.bill.prompt);
    const answer = await converse(chatId, LANDLINE, 3);
    expect(answer.data.split('\n')).toContain(LANDLINE);
  });

  it('names what the type digit says for a municipality bill, and asks again', async () => {
    const chatId = newChatId();
    await askForBill(chatId);
    const retry = await converse(chatId, '۷۷۴۸۳۱۷۸۰۰۱۶۹', 2);
    expect(retry.data).toContain(faValidation.billIdNotUtility.municipality);
    expect(retry.data).toContain(faServices.bill.prompt);
  });

  it('says the type digit names no bill for an unknown type, and asks again', async () => {
    const chatId = newChatId();
    await askForBill(chatId);
    const retry = await converse(chatId, '7748317800177', 2);
    expect(retry.data).toContain(faValidation.billIdUnknownType);
    expect(retry.data).toContain(faServices.bill.prompt);
  });

  it('says so when the bus has no unpaid bill for the id', async () => {
    const chatId = newChatId();
    await askForBill(chatId);
    const answer = await converse(chatId, '9999999999921', 2);
    expect(answer.data).toContain(faServices.bill.notFound);
  });
});
