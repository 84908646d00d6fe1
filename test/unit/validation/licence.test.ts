import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { faValidation } from '../../../src/i18n/fa-validation.ts';
import { licenceNumber } from '../../../src/validation/licence.ts';
import { typedForms } from './typed.ts';

const reason = (input: string) => v.safeParse(licenceNumber, input).issues?.[0]?.message;

describe('driving licence number', () => {
  it('accepts ten digits typed in any digits and with any separators, as ASCII digits', () => {
    for (const typed of typedForms('9812345678')) expect(v.parse(licenceNumber, typed)).toBe('9812345678');
  });

  it('keeps a leading zero', () => {
    expect(v.parse(licenceNumber, '۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789');
  });

  it('says it must be ten digits when it is not', () => {
    for (const typed of ['981234567', '۹۸۱۲۳۴۵۶۷۸۹', '1']) expect(reason(typed)).toBe(faValidation.licenceLength);
  });

  it('says it is digits only when something else is in it', () => {
    expect(reason('98123456ab')).toBe(faValidation.licenceDigits);
    expect(reason('')).toBe(faValidation.licenceDigits);
  });
});
