import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { faValidation } from '../../../src/i18n/fa-validation.ts';
import {
  billCharges,
  billCheckDigit,
  billId,
  billTypeOf,
  buildPaymentId,
  isValidPaymentId,
  paymentAmount,
  paymentId,
  utilityBillId,
} from '../../../src/validation/bill.ts';
import { typedForms } from './typed.ts';

const reason = (schema: v.GenericSchema<string, string>, input: string) => {
  const result = v.safeParse(schema, input);
  expect(result.success).toBe(false);
  return result.issues?.[0]?.message;
};

describe('bill id', () => {
  it.each([
    ['7748317800142', 'landline'],
    ['2050327604613', 'water'],
    ['9174639504124', 'electricity'],
  ])('accepts %s typed in any digits and with any separators, and reads its type (%s)', (id, type) => {
    for (const typed of typedForms(id)) expect(v.parse(billId, typed)).toBe(id);
    expect(billTypeOf(id)).toBe(type);
  });

  it('computes the check digit with weights 2 to 7 from the right, mod 11', () => {
    expect(billCheckDigit('774831780014')).toBe(2);
    expect(billCheckDigit('205032760461')).toBe(3);
    expect(billCheckDigit('917463950412')).toBe(4);
  });

  it('reads every type digit of docs/bus.md#bill-id-and-payment-id, and none for 0 and 7', () => {
    const types = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'].map((d) => billTypeOf(`1234${d}5`));
    expect(types).toEqual([
      'water',
      'electricity',
      'gas',
      'landline',
      'mobile',
      'municipality',
      null,
      'tax',
      'traffic-fines',
      null,
    ]);
  });

  it('drops the zeros a bill id is padded with', () => {
    expect(v.parse(billId, '۰۰۷۷۴۸۳۱۷۸۰۰۱۴۲')).toBe('7748317800142');
  });

  it('says the check digit is wrong when the last digit does not match', () => {
    for (const typed of typedForms('7748317800143')) expect(reason(billId, typed)).toBe(faValidation.billIdCheckDigit);
    expect(reason(billId, '2050327604611')).toBe(faValidation.billIdCheckDigit);
  });

  it('says the type digit names no bill for 0 and 7', () => {
    expect(reason(billId, '7748317800177')).toBe(faValidation.billIdUnknownType);
    expect(reason(billId, '۷۷۴۸۳۱۷۸۰۰۱۰۰')).toBe(faValidation.billIdUnknownType);
  });

  it('says a bill id has 6 to 13 digits, and holds only digits', () => {
    expect(reason(billId, '12345')).toBe(faValidation.billIdLength);
    expect(reason(billId, '77483178001421')).toBe(faValidation.billIdLength);
    expect(reason(billId, '77483178001a2')).toBe(faValidation.billIdDigits);
    expect(reason(billId, '')).toBe(faValidation.billIdDigits);
  });
});

describe('utility bill id', () => {
  it('accepts water, electricity, gas, landline and mobile bills', () => {
    expect(v.parse(utilityBillId, '۷۷۴۸۳۱۷۸۰۰۱۴۲')).toBe('7748317800142');
    expect(v.parse(utilityBillId, '2050327604613')).toBe('2050327604613');
    for (const digit of ['3', '5']) {
      const id = `77483178001${digit}`;
      expect(v.parse(utilityBillId, `${id}${billCheckDigit(id)}`)).toBe(`${id}${billCheckDigit(id)}`);
    }
  });

  it('names what the type digit says for municipality (6), tax (8) and traffic fines (9) bills', () => {
    expect(reason(utilityBillId, '7748317800169')).toBe(faValidation.billIdNotUtility.municipality);
    expect(reason(utilityBillId, '7748317800185')).toBe(faValidation.billIdNotUtility.tax);
    expect(reason(utilityBillId, '۷۷۴۸۳۱۷۸۰۰۱۹۳')).toBe(faValidation.billIdNotUtility.trafficFines);
  });

  it('still puts a wrong check digit or an unknown type first', () => {
    expect(reason(utilityBillId, '7748317800161')).toBe(faValidation.billIdCheckDigit);
    expect(reason(utilityBillId, '7748317800177')).toBe(faValidation.billIdUnknownType);
  });
});

describe('payment id', () => {
  it('accepts 1770160 for bill 7748317800142 (17,000 rials) and 1070189 for 2050327604613 (10,000 rials)', () => {
    for (const typed of typedForms('1770160')) expect(v.parse(paymentId('7748317800142'), typed)).toBe('1770160');
    for (const typed of typedForms('1070189')) expect(v.parse(paymentId('2050327604613'), typed)).toBe('1070189');
    expect(isValidPaymentId('7748317800142', '1770160')).toBe(true);
    expect(paymentAmount('1770160')).toBe(17_000);
    expect(paymentAmount('1070189')).toBe(10_000);
  });

  it('refuses 12908197 for bill 9174639504124: its second check digit belongs to another bill', () => {
    for (const typed of typedForms('12908197')) {
      expect(reason(paymentId('9174639504124'), typed)).toBe(faValidation.paymentIdOtherBill);
    }
    expect(isValidPaymentId('9174639504124', '12908197')).toBe(false);
  });

  it('says the check digit is wrong when the first check digit does not match', () => {
    expect(reason(paymentId('7748317800142'), '1770150')).toBe(faValidation.paymentIdCheckDigit);
    expect(isValidPaymentId('7748317800142', '1770150')).toBe(false);
  });

  it('says a payment id has 6 to 13 digits, and holds only digits', () => {
    expect(reason(paymentId('7748317800142'), '17701')).toBe(faValidation.paymentIdLength);
    expect(reason(paymentId('7748317800142'), '17701x0')).toBe(faValidation.paymentIdDigits);
  });

  it('builds the payment id of a bill, an amount and a period: 1770160 is 17,000 rials in period 701', () => {
    expect(buildPaymentId('7748317800142', 17_000, '701')).toBe('1770160');
    expect(buildPaymentId('2050327604613', 10_000, '701')).toBe('1070189');
    const built = buildPaymentId('9174639504124', 3_687_000, '509');
    expect(isValidPaymentId('9174639504124', built)).toBe(true);
    expect(paymentAmount(built)).toBe(3_687_000);
  });

  it('tells a bill the bank charges from one whose type, payment id or amount disagree', () => {
    const bill = { billId: '7748317800142', paymentId: '1770160', amountRials: 17_000 };
    expect(billCharges(bill)).toBe(true);
    expect(billCharges(bill, billTypeOf(bill.billId) ?? undefined)).toBe(true);
    expect(billCharges(bill, billTypeOf(bill.billId) === 'municipality' ? 'traffic-fines' : 'municipality')).toBe(
      false,
    );
    expect(billCharges({ ...bill, amountRials: 18_000 })).toBe(false);
    expect(billCharges({ ...bill, paymentId: '1770150' })).toBe(false);
    expect(billCharges({ ...bill, billId: '7748317800143' })).toBe(false);
  });

  it('refuses to build a payment id for an amount that is not whole thousands of rials, or a period that is not 3 digits', () => {
    expect(() => buildPaymentId('7748317800142', 17_500, '701')).toThrow(RangeError);
    expect(() => buildPaymentId('7748317800142', 0, '701')).toThrow(RangeError);
    expect(() => buildPaymentId('7748317800142', 17_000, '71')).toThrow(RangeError);
  });
});
