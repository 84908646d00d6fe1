/** Showing numbers to citizens: Persian digits, thousands separators. */

const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';

/** ASCII digits in any text to Persian digits (for display only, never for identifiers to copy). */
export function toPersianDigits(text: string | number): string {
  return String(text).replace(/[0-9]/g, (d) => PERSIAN_DIGITS[Number(d)] ?? d);
}
