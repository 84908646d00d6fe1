/**
 * Car plates (docs/bus.md#car-plate): two digits, a letter, three digits and a two-digit province code,
 * as citizens type them, to the bus's nine digits `NN LL NNN PP` (LL: the letter's code), and back
 * to a plate a citizen reads. Typed in a right-to-left field, a plate is often entered in reverse
 * group order (`۶۷ ایران ۳۴۵ ب ۱۲`) so that it looks like the plate on screen: both orders are read.
 */
import * as v from 'valibot';
import { toPersianDigits } from '../i18n/digits.ts';
import { faValidation } from '../i18n/fa-validation.ts';
import { normaliseIdentifier } from './normalise.ts';

/** The letter codes, in order from 01 (الف) to 32 (ی); 33 and 34 are plates marked with a word. */
const LETTERS = [
  'الف',
  'ب',
  'پ',
  'ت',
  'ث',
  'ج',
  'چ',
  'ح',
  'خ',
  'د',
  'ذ',
  'ر',
  'ز',
  'ژ',
  'س',
  'ش',
  'ص',
  'ض',
  'ط',
  'ظ',
  'ع',
  'غ',
  'ف',
  'ق',
  'ک',
  'گ',
  'ل',
  'م',
  'ن',
  'و',
  'ه',
  'ی',
  'معلولین',
  'تشریفات',
] as const;

const CODE_OF = new Map<string, string>([
  ...LETTERS.map((letter, i) => [letter, String(i + 1).padStart(2, '0')] as const),
  // الف is often typed as its first letter alone.
  ['ا', '01'],
]);

const IRAN = '(?:ایران)?';
/** `12ب345ایران67`, with or without «ایران», before or after the province code. */
const FORWARD = new RegExp(`^(\\d{2})(\\D+?)(\\d{3})${IRAN}(\\d{2})${IRAN}$`);
/** `67ایران345ب12`: the reverse group order of a plate typed to look right in a right-to-left field. */
const REVERSED = new RegExp(`^${IRAN}(\\d{2})${IRAN}(\\d{3})(\\D+?)(\\d{2})$`);

interface PlateParts {
  first: string;
  letter: string;
  serial: string;
  province: string;
}

/** The parts of a normalised plate in either group order, or null when it has another shape. */
function partsOf(text: string): PlateParts | null {
  const forward = FORWARD.exec(text);
  if (forward) {
    const [, first = '', letter = '', serial = '', province = ''] = forward;
    return { first, letter, serial, province };
  }
  const reversed = REVERSED.exec(text);
  if (reversed) {
    const [, province = '', serial = '', letter = '', first = ''] = reversed;
    return { first, letter, serial, province };
  }
  return null;
}

const hasLetterCode = (text: string) => CODE_OF.has(partsOf(text)?.letter ?? '');

function toUpstream(text: string): string {
  const parts = partsOf(text);
  if (!parts) return text;
  return `${parts.first}${CODE_OF.get(parts.letter) ?? ''}${parts.serial}${parts.province}`;
}

/** A typed car plate in, the nine digits `NN LL NNN PP` out; a Persian reason when it is wrong. */
export const plate = v.pipe(
  v.string(),
  v.transform(normaliseIdentifier),
  v.check((text) => partsOf(text) !== null, faValidation.plateForm),
  v.check(hasLetterCode, faValidation.plateLetter),
  v.transform(toUpstream),
);

/**
 * A plate in the bus's nine-digit form as a citizen reads it, in Persian digits (`۱۲ ب ۳۴۵ ایران ۶۷`),
 * or null when the digits are not a plate. Wrap it with `isolatePlate` inside a Persian sentence.
 */
export function readablePlate(nineDigits: string): string | null {
  const match = /^(\d{2})(\d{2})(\d{3})(\d{2})$/.exec(nineDigits);
  const letter = match ? LETTERS[Number(match[2]) - 1] : undefined;
  if (!match || !letter) return null;
  return toPersianDigits(`${match[1]} ${letter} ${match[3]} ایران ${match[4]}`);
}

/** Left-to-right isolate (LRI … PDI). */
const LRI = '\u2066';
const PDI = '\u2069';
const LRM = '\u200e';

/**
 * A readable plate made to read left to right inside right-to-left text: wrapped in a left-to-right
 * isolate, with a left-to-right mark after each word so the digits after it stay in plate order.
 * The marks are invisible, and a plate copied back into the chat is read as before.
 */
export function isolatePlate(readable: string): string {
  return `${LRI}${readable.replace(/\p{L}+/gu, `$&${LRM}`)}${PDI}`;
}
