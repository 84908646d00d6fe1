/**
 * Normalisation of what citizens type: Persian and Arabic-Indic digits to ASCII, Arabic letter
 * forms to Persian ones, and the separators people put inside identifiers (docs/bus.md#normalisation).
 */

const PERSIAN_ZERO = 0x06f0;
const ARABIC_INDIC_ZERO = 0x0660;

/** Persian (U+06F0–06F9) and Arabic-Indic (U+0660–0669) digits to ASCII. */
export function toAsciiDigits(text: string): string {
  return text.replace(/[\u06f0-\u06f9\u0660-\u0669]/g, (digit) => {
    const code = digit.charCodeAt(0);
    const zero = code >= PERSIAN_ZERO ? PERSIAN_ZERO : ARABIC_INDIC_ZERO;
    return String(code - zero);
  });
}

/** Arabic yeh and kaf forms to their Persian letters (ي/ى → ی, ك → ک). */
export function toPersianLetters(text: string): string {
  return text.replace(/[\u064a\u0649]/g, '\u06cc').replace(/\u0643/g, '\u06a9');
}

/**
 * Bidi marks: LRM/RLM, the embeddings and overrides U+202A–202E, the isolates U+2066–2069 (which
 * Pishkhan itself puts around plates, so a copied plate comes back with them) and the Arabic letter mark.
 */
const BIDI_MARKS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Spaces, ZWNJ/ZWJ and bidi marks: invisible, never part of what was meant inside a typed value. */
export function stripInvisible(text: string): string {
  return text.replace(/[\s\u200c\u200d]/g, '').replace(BIDI_MARKS, '');
}

/** Hyphens, dashes and the minus sign people put between groups of digits, and the underscore. */
const DASHES = /[\u2010-\u2015\u2212\-_]/g;

/** An identifier as the bus wants it: ASCII digits, Persian letters, no separators. */
export function normaliseIdentifier(text: string): string {
  return stripInvisible(toAsciiDigits(toPersianLetters(text))).replace(DASHES, '');
}

/** Free text for matching menu words: Persian letters, ASCII digits, single spaces, no bidi marks. */
export function normaliseText(text: string): string {
  return toAsciiDigits(toPersianLetters(text)).replace(BIDI_MARKS, '').replace(/\s+/g, ' ').trim();
}
