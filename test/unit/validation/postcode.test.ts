import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { faValidation } from '../../../src/i18n/fa-validation.ts';
import { postcode } from '../../../src/validation/postcode.ts';

const accept = (input: string) => v.parse(postcode, input);
const reason = (input: string) => {
  const result = v.safeParse(postcode, input);
  expect(result.success).toBe(false);
  return result.issues?.[0]?.message;
};

describe('postcode', () => {
  it('accepts a valid postcode in ASCII, Persian and Arabic-Indic digits', () => {
    expect(accept('1193653471')).toBe('1193653471');
    expect(accept('۱۱۹۳۶۵۳۴۷۱')).toBe('1193653471');
    expect(accept('١١٩٣٦٥٣٤٧١')).toBe('1193653471');
  });

  it('ignores spaces, dashes, ZWNJ and bidi marks inside the code', () => {
    expect(accept(' 11936 53471 ')).toBe('1193653471');
    expect(accept('11936-53471')).toBe('1193653471');
    expect(accept('۱۱۹۳۶\u200c۵۳۴۷۱')).toBe('1193653471');
    expect(accept('\u200f11936\u200e53471')).toBe('1193653471');
  });

  it.each([
    ['0123456789', 'a 0 first'],
    ['2193653471', 'a 2 first'],
    ['1093653471', 'a 0 second'],
    ['1123653471', 'a 2 third'],
    ['1190653471', 'a 0 fourth'],
    ['1193553471', 'a 5 fifth'],
    ['1193203471', 'a 2 fifth'],
    ['1193600471', 'a 0 sixth'],
    ['1193610000', '0000 last'],
  ])('refuses %s (%s) with the Persian reason and an example', (input) => {
    expect(reason(input)).toBe(faValidation.postcodeInvalid);
  });

  it('says when the length is wrong', () => {
    expect(reason('119365347')).toBe(faValidation.postcodeLength);
    expect(reason('۱۱۹۳۶۵۳۴۷۱۱')).toBe(faValidation.postcodeLength);
  });

  it('says when it is not digits', () => {
    expect(reason('11936a3471')).toBe(faValidation.postcodeDigits);
    expect(reason('')).toBe(faValidation.postcodeDigits);
  });
});
