/** The ways a citizen may type one identifier, for the validators' tests. */

const inDigits = (ascii: string, zero: number) => ascii.replace(/\d/g, (d) => String.fromCharCode(zero + Number(d)));

/** Persian digits (U+06F0–06F9). */
export const persian = (ascii: string) => inDigits(ascii, 0x06f0);
/** Arabic-Indic digits (U+0660–0669). */
export const arabicIndic = (ascii: string) => inDigits(ascii, 0x0660);

/** A separator after every third digit. */
const grouped = (text: string, separator: string) => text.replace(/(\d{3})(?=\d)/g, `$1${separator}`);

/**
 * The identifier as typed in ASCII, Persian and Arabic-Indic digits, and with spaces, dashes, ZWNJ
 * and bidi marks inside and around it.
 */
export function typedForms(ascii: string): string[] {
  return [
    ascii,
    persian(ascii),
    arabicIndic(ascii),
    ` ${grouped(ascii, ' ')} `,
    grouped(ascii, '-'),
    grouped(persian(ascii), '\u200c'),
    grouped(arabicIndic(ascii), '\u2013'),
    `\u200f${grouped(persian(ascii), '\u200e')}\u202c`,
  ];
}
