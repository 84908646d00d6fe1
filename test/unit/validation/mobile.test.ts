import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { faValidation } from '../../../src/i18n/fa-validation.ts';
import { MOBILE_OPERATOR_PREFIXES, mobile } from '../../../src/validation/mobile.ts';
import { typedForms } from './typed.ts';

const reason = (input: string) => {
  const result = v.safeParse(mobile, input);
  expect(result.success).toBe(false);
  return result.issues?.[0]?.message;
};

describe('mobile number', () => {
  it.each(['09022002580', '+989022002580', '00989022002580', '989022002580', '9022002580'])(
    'accepts %s in any digits and with any separators, as 09022002580',
    (number) => {
      for (const typed of typedForms(number)) expect(v.parse(mobile, typed)).toBe('09022002580');
    },
  );

  it('accepts ۰۹۱۲۱۲۳۴۵۶۷ as 09121234567', () => {
    expect(v.parse(mobile, '۰۹۱۲۱۲۳۴۵۶۷')).toBe('09121234567');
    expect(v.parse(mobile, '۰۹۱۲ ۱۲۳ ۴۵۶۷')).toBe('09121234567');
  });

  it('accepts every prefix of every operator on the list', () => {
    const prefixes = Object.values(MOBILE_OPERATOR_PREFIXES).flat();
    expect(prefixes).toHaveLength(38);
    for (const prefix of prefixes) expect(v.parse(mobile, `0${prefix}1234567`)).toBe(`0${prefix}1234567`);
  });

  it('says 980 is no operator prefix for 09802002580', () => {
    for (const typed of typedForms('09802002580')) expect(reason(typed)).toBe(faValidation.mobileOperator);
    for (const prefix of ['906', '924', '931', '934', '940', '997']) {
      expect(reason(`0${prefix}1234567`)).toBe(faValidation.mobileOperator);
    }
  });

  it('says it must be 11 digits starting with 09 for 0912123456 and other shapes', () => {
    for (const typed of [...typedForms('0912123456'), '091212345678', '08121234567', '+9809121234567']) {
      expect(reason(typed)).toBe(faValidation.mobileForm);
    }
  });

  it('says it is digits only when something else is in it', () => {
    expect(reason('0912abc4567')).toBe(faValidation.mobileDigits);
    expect(reason('')).toBe(faValidation.mobileDigits);
  });
});
