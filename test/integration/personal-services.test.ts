/**
 * The personal services of the catalogue through the Gap webhook, each from the first message to the
 * answer: bound once on the way in (contact card, one-time code, national code, Shahkar), then used
 * without being asked again; wrong inputs get their reason and the question again; no record is an answer.
 */
import { describe, expect, it } from 'vitest';
import { fa } from '../../src/i18n/fa.ts';
import { faServices } from '../../src/i18n/fa-services.ts';
import { faValidation } from '../../src/i18n/fa-validation.ts';
import { billTypeOf, isValidPaymentId } from '../../src/validation/bill.ts';
import { bindThrough, newMobile, newNationalCode } from './binding.ts';
import { converse, keyboardLabels, newChatId, type SentMessage } from './gap.ts';

const person = () => ({ mobile: newMobile(), nationalCode: newNationalCode() });
const inlineLabels = (message: SentMessage | undefined) => (message?.inline_keyboard ?? []).flat().map((b) => b.text);

describe('استعلام خلافی خودرو through the Gap webhook', () => {
  it('binds, asks for the plate, and answers with the total first, one block per fine and ids to copy', async () => {
    const chatId = newChatId();
    const messages = await bindThrough(chatId, faServices.trafficFines.title, person());
    expect(messages[5]?.data).toBe(faServices.trafficFines.prompt);
    const answer = await converse(chatId, '۱۲ ب ۳۴۵ ایران ۶۷', 6);
    const [head, ...blocks] = answer.data.split('\n\n');
    expect(head).toContain(`${faServices.trafficFines.heading} \u2066۱۲ ب\u200e ۳۴۵ ایران\u200e ۶۷\u2069`);
    expect(head).toMatch(new RegExp(`${faServices.trafficFines.total} [۰-۹٬]+ تومان \\([۰-۹]+ مورد\\)`));
    expect(blocks[0]).toMatch(/^۱\. /);
    const lines = answer.data.split('\n');
    const billIds = lines.flatMap((line, i) => (line === faServices.bill.billId ? [lines[i + 1] ?? ''] : []));
    const paymentIds = lines.flatMap((line, i) => (line === faServices.bill.paymentId ? [lines[i + 1] ?? ''] : []));
    expect(billIds.length).toBe(paymentIds.length);
    billIds.forEach((billId, i) => {
      expect(billTypeOf(billId)).toBe('traffic-fines');
      expect(isValidPaymentId(billId, paymentIds[i] ?? '')).toBe(true);
    });
    expect(inlineLabels(answer)).toEqual([fa.againButton, fa.menuButton]);
    expect(keyboardLabels(answer)).toContain(faServices.trafficFines.title);
  });

  it('says no fine is recorded for a plate without fines, then asks again on «استعلام دیگر» without binding again', async () => {
    const chatId = newChatId();
    await bindThrough(chatId, faServices.trafficFines.title, person());
    // The GSB sandbox's plate without fines (MAGIC_PERSONAL.finelessPlate: 993299999).
    const none = await converse(chatId, '۹۹ ی ۹۹۹ ایران ۹۹', 6);
    expect(none.data).toBe(`${faServices.trafficFines.notFound}\n\n${fa.menuPrompt}`);
    expect(none.data).toContain('خلافی ثبت نشده است');
    const again = await converse(chatId, fa.againButton, 7);
    expect(again.data).toBe(faServices.trafficFines.prompt);
  });

  it('gives the reason for a plate it cannot read, and asks again', async () => {
    const chatId = newChatId();
    await bindThrough(chatId, faServices.trafficFines.title, person());
    const form = await converse(chatId, '12 345 67', 6);
    expect(form.data).toBe(`${faValidation.plateForm}\n\n${faServices.trafficFines.prompt}`);
    const letter = await converse(chatId, '12 x 345 67', 7);
    expect(letter.data).toBe(`${faValidation.plateLetter}\n\n${faServices.trafficFines.prompt}`);
  });
});

describe('نمره منفی گواهینامه through the Gap webhook', () => {
  it('binds, gives the reason for a short licence number and asks again, then answers', async () => {
    const chatId = newChatId();
    const messages = await bindThrough(chatId, faServices.negativePoints.title, person());
    expect(messages[5]?.data).toBe(faServices.negativePoints.prompt);
    const wrong = await converse(chatId, '۱۲۳۴۵', 6);
    expect(wrong.data).toBe(`${faValidation.licenceLength}\n\n${faServices.negativePoints.prompt}`);
    const answer = await converse(chatId, '۹۸۱۲۳۴۵۶۷۸', 7);
    expect(answer.data).toContain(faServices.negativePoints.heading);
    expect(answer.data).toContain(`${faServices.document.number} ۹۸۱۲۳۴۵۶۷۸`);
    expect(answer.data).toMatch(new RegExp(`${faServices.negativePoints.score} [۰-۹]+`));
  });
});

describe('the personal services that ask nothing, through the Gap webhook', () => {
  it.each([
    ['وضعیت گواهینامه', faServices.licenseStatus.heading],
    ['پلاک‌های فعال', faServices.activePlates.heading],
  ])('binds through «%s» and answers at once', async (title, heading) => {
    const chatId = newChatId();
    const messages = await bindThrough(chatId, title, person());
    expect(messages[5]?.data).toContain(heading);
    expect(messages[5]?.data).toMatch(/^[^\n]+\n\n۱\. /);
    expect(inlineLabels(messages[5])).toEqual([fa.menuButton]);
  });

  it('binds through «وضعیت گذرنامه» and answers at once', async () => {
    const chatId = newChatId();
    const messages = await bindThrough(chatId, faServices.passport.title, person());
    expect(messages[5]?.data).toMatch(/^🛂 /);
  });
});

describe('استعلام وضعیت حیات through the Gap webhook', () => {
  it('binds, gives the reason for a birth date in the future and asks again, then answers with a tracking code', async () => {
    const chatId = newChatId();
    const messages = await bindThrough(chatId, faServices.lifeStatus.title, person());
    expect(messages[5]?.data).toBe(faServices.lifeStatus.prompt);
    const future = await converse(chatId, '۱۴۹۹/۰۱/۰۱', 6);
    expect(future.data).toBe(`${faValidation.jalaliFuture}\n\n${faServices.lifeStatus.prompt}`);
    const missing = await converse(chatId, '1371/12/30', 7);
    expect(missing.data).toBe(`${faValidation.jalaliDay}\n\n${faServices.lifeStatus.prompt}`);
    const answer = await converse(chatId, '۱۳۷۰/۱/۳۱', 8);
    expect(answer.data).toContain(`${faServices.lifeStatus.birthDate} ۱۳۷۰/۰۱/۳۱`);
    const lines = answer.data.split('\n');
    expect(lines[lines.indexOf(faServices.lifeStatus.trackingCode) + 1]).toMatch(/^\d{12}$/);
  });
});
