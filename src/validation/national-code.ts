/**
 * The national code (کد ملی), ten digits with a mod-11 check digit (docs/bus.md#national-code). Older cards
 * drop the leading zeros, so eight or nine digits are padded back to ten.
 */
import * as v from 'valibot';
import { faValidation } from '../i18n/fa-validation.ts';
import { normaliseIdentifier } from './normalise.ts';

/** `s = Σ d[i]·(10 − i) mod 11` over the first nine digits; the tenth is `s` below 2, else `11 − s`. */
function hasCheckDigit(code: string): boolean {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(code[i]) * (10 - i);
  const s = sum % 11;
  return Number(code[9]) === (s < 2 ? s : 11 - s);
}

/** The ten codes of one repeated digit pass the checksum but are never issued; nor are codes with digits 4–9 all zero. */
function isIssuable(code: string): boolean {
  return !/^(\d)\1{9}$/.test(code) && code.slice(3, 9) !== '000000';
}

/** A typed national code in, ten ASCII digits out; a Persian reason when it is wrong. */
export const nationalCode = v.pipe(
  v.string(),
  v.transform(normaliseIdentifier),
  v.regex(/^\d+$/, faValidation.nationalCodeDigits),
  v.check((code) => code.length >= 8 && code.length <= 10, faValidation.nationalCodeLength),
  v.transform((code) => code.padStart(10, '0')),
  v.check(isIssuable, faValidation.nationalCodeInvalid),
  v.check(hasCheckDigit, faValidation.nationalCodeCheckDigit),
);
