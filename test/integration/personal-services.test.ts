/**
 * The personal services of the catalogue through the Gap webhook, each from the first message to the
 * answer: bound once on the way in (contact card, one-time code, national code, Shahkar), then used
 * without being asked again; wrong inputs get their reason and the question again; no record is an answer.
 */
import { describe, expect, it } from 'vitest';
import { fa } from '../../src/i18n/fa.ts';
import { faNotices } from '../../src/i18n/fa-notices.ts';
import { faServices } from '../../src/i18n/fa-services.ts';
import { faValidation } from '../../src/i18n/fa-validation.ts';
import { billTypeOf, isValidPaymentId } from '../../src/validation/bill.ts';
import { newPerson } from './binding.ts';
import { type Chat, talk } from './talk.ts';

/** A new Gap chat, bound through the service titled `title`. */
async function boundThrough(title: string): Promise<Chat> {
  const chat = await talk('gap');
  await chat.bind(title, newPerson());
  return chat;
}

describe('استعلام خلافی خودرو through the Gap webhook', () => {
  it('binds, asks for the plate, and answers with the total first, one block per fine and ids to copy', async () => {
    const chat = await boundThrough(faServices.trafficFines.title);
    expect((await chat.reply()).text).toBe(faServices.trafficFines.prompt);
    await chat.say('۱۲ ب ۳۴۵ ایران ۶۷');
    const answer = await chat.reply();
    const [head, ...blocks] = answer.text.split('\n\n');
    expect(head).toContain(`${faServices.trafficFines.heading} \u2066۱۲ ب\u200e ۳۴۵ ایران\u200e ۶۷\u2069`);
    expect(head).toMatch(new RegExp(`${faServices.trafficFines.total} [۰-۹٬]+ تومان \\([۰-۹]+ مورد\\)`));
    expect(blocks[0]).toMatch(/^۱\. /);
    const lines = answer.text.split('\n');
    const billIds = lines.flatMap((line, i) => (line === faServices.bill.billId ? [lines[i + 1] ?? ''] : []));
    const paymentIds = lines.flatMap((line, i) => (line === faServices.bill.paymentId ? [lines[i + 1] ?? ''] : []));
    expect(billIds.length).toBe(paymentIds.length);
    billIds.forEach((billId, i) => {
      expect(billTypeOf(billId)).toBe('traffic-fines');
      expect(isValidPaymentId(billId, paymentIds[i] ?? '')).toBe(true);
    });
    expect(answer.inline).toEqual([fa.againButton, fa.menuButton, faNotices.notifyButton]);
    expect(answer.keyboard).toContain(faServices.trafficFines.title);
  });

  it('says no fine is recorded for a plate without fines, then asks again on «استعلام دیگر» without binding again', async () => {
    const chat = await boundThrough(faServices.trafficFines.title);
    await chat.reply();
    // The GSB sandbox's plate without fines (MAGIC_PERSONAL.finelessPlate: 993299999).
    await chat.say('۹۹ ی ۹۹۹ ایران ۹۹');
    const none = await chat.reply();
    expect(none.text).toBe(`${faServices.trafficFines.notFound}\n\n${fa.menuPrompt}`);
    expect(none).toAnswer('خلافی ثبت نشده است');
    await chat.press(fa.againButton);
    expect((await chat.reply()).text).toBe(faServices.trafficFines.prompt);
  });

  it('gives the reason for a plate it cannot read, and asks again', async () => {
    const chat = await boundThrough(faServices.trafficFines.title);
    await chat.reply();
    await chat.say('12 345 67');
    expect((await chat.reply()).text).toBe(`${faValidation.plateForm}\n\n${faServices.trafficFines.prompt}`);
    await chat.say('12 x 345 67');
    const letter = await chat.reply();
    expect(letter.text).toBe(`${faValidation.plateLetter}\n\n${faServices.trafficFines.prompt}`);
    expect(letter).toGiveReason(faValidation.plateLetter);
  });
});

describe('نمره منفی گواهینامه through the Gap webhook', () => {
  it('binds, gives the reason for a short licence number and asks again, then answers', async () => {
    const chat = await boundThrough(faServices.negativePoints.title);
    expect((await chat.reply()).text).toBe(faServices.negativePoints.prompt);
    await chat.say('۱۲۳۴۵');
    expect((await chat.reply()).text).toBe(`${faValidation.licenceLength}\n\n${faServices.negativePoints.prompt}`);
    await chat.say('۹۸۱۲۳۴۵۶۷۸');
    const answer = await chat.reply();
    expect(answer).toAnswer(faServices.negativePoints.heading);
    expect(answer).toAnswer(`${faServices.document.number} ۹۸۱۲۳۴۵۶۷۸`);
    expect(answer).toAnswer(new RegExp(`${faServices.negativePoints.score} [۰-۹]+`));
  });
});

describe('the personal services that ask nothing, through the Gap webhook', () => {
  it.each([
    ['وضعیت گواهینامه', faServices.licenseStatus.heading],
    ['پلاک‌های فعال', faServices.activePlates.heading],
  ])('binds through «%s» and answers at once', async (title, heading) => {
    const chat = await boundThrough(title);
    const answer = await chat.reply();
    expect(answer).toAnswer(heading);
    expect(answer).toAnswer(/^[^\n]+\n\n۱\. /);
    expect(answer.inline).toEqual([fa.menuButton]);
  });

  it('binds through «وضعیت گذرنامه» and answers at once', async () => {
    const chat = await boundThrough(faServices.passport.title);
    expect(await chat.reply()).toAnswer(/^🛂 /);
  });
});

describe('استعلام وضعیت حیات through the Gap webhook', () => {
  it('binds, gives the reason for a birth date in the future and asks again, then answers with a tracking code', async () => {
    const chat = await boundThrough(faServices.lifeStatus.title);
    expect((await chat.reply()).text).toBe(faServices.lifeStatus.prompt);
    await chat.say('۱۴۹۹/۰۱/۰۱');
    expect((await chat.reply()).text).toBe(`${faValidation.jalaliFuture}\n\n${faServices.lifeStatus.prompt}`);
    await chat.say('1371/12/30');
    expect((await chat.reply()).text).toBe(`${faValidation.jalaliDay}\n\n${faServices.lifeStatus.prompt}`);
    await chat.say('۱۳۷۰/۱/۳۱');
    const answer = await chat.reply();
    expect(answer).toAnswer(`${faServices.lifeStatus.birthDate} ۱۳۷۰/۰۱/۳۱`);
    const lines = answer.text.split('\n');
    expect(lines[lines.indexOf(faServices.lifeStatus.trackingCode) + 1]).toMatch(/^\d{12}$/);
  });
});
