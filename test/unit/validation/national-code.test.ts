import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { faValidation } from '../../../src/i18n/fa-validation.ts';
import { nationalCode } from '../../../src/validation/national-code.ts';
import { typedForms } from './typed.ts';

const reason = (input: string) => {
  const result = v.safeParse(nationalCode, input);
  expect(result.success).toBe(false);
  return result.issues?.[0]?.message;
};

describe('national code', () => {
  it.each(['0499370899', '0790419904', '1583250689', '0684159414'])(
    'accepts %s typed in any digits and with any separators, as ten ASCII digits',
    (code) => {
      for (const typed of typedForms(code)) expect(v.parse(nationalCode, typed)).toBe(code);
    },
  );

  it('pads eight or nine digits with leading zeros (68415941 is 0068415941)', () => {
    for (const typed of typedForms('68415941')) expect(v.parse(nationalCode, typed)).toBe('0068415941');
    expect(v.parse(nationalCode, '۴۹۹۳۷۰۸۹۹')).toBe('0499370899');
  });

  it('says the check digit is wrong for 1234567890', () => {
    for (const typed of typedForms('1234567890')) expect(reason(typed)).toBe(faValidation.nationalCodeCheckDigit);
  });

  it('refuses 0010000000 (digits 4 to 9 all zero) and 3333333333 (one repeated digit) as never issued', () => {
    for (const typed of [...typedForms('0010000000'), ...typedForms('3333333333')]) {
      expect(reason(typed)).toBe(faValidation.nationalCodeInvalid);
    }
  });

  it('refuses every code of one repeated digit, though each passes the checksum', () => {
    for (let d = 0; d <= 9; d++) expect(reason(String(d).repeat(10))).toBe(faValidation.nationalCodeInvalid);
  });

  it('says it must be ten digits when it is shorter than eight or longer than ten', () => {
    for (const typed of ['1234567', '۱۲۳۴۵۶۷', '04993708990', '٠٤٩٩٣٧٠٨٩٩٠٠']) {
      expect(reason(typed)).toBe(faValidation.nationalCodeLength);
    }
  });

  it('says it is digits only when something else is in it', () => {
    expect(reason('04993a0899')).toBe(faValidation.nationalCodeDigits);
    expect(reason('۰۴۹۹۳۷۰۸۹۹.')).toBe(faValidation.nationalCodeDigits);
    expect(reason('')).toBe(faValidation.nationalCodeDigits);
  });
});
