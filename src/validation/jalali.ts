/**
 * Jalali (Solar Hijri) dates, both directions (docs/bus.md#jalali-dates): reading what citizens type
 * (`۱۳۷۰/۱/۱`, `1370-01-01`, `13700101`), Gregorian ↔ Jalali conversion, leap years, "today" as
 * the Asia/Tehran day of an instant passed in, and writing a date out. Pure: no clock is read.
 *
 * Leap years follow the 33-year cycles of the break table (Borkowski's arithmetic, as published by
 * jalaali-js): between two break years, the years at offsets 0, 4, 8, …, 28 of each 33-year cycle
 * are leap, except in the last five years before the next break, whose offsets count from the
 * cycle the next break starts. ICU agrees with it from 1178 to 1501; it is defined for -61 to 3177.
 */
import * as v from 'valibot';
import { toPersianDigits } from '../i18n/digits.ts';
import { faValidation } from '../i18n/fa-validation.ts';
import { stripInvisible, toAsciiDigits } from './normalise.ts';

export interface JalaliDate {
  year: number;
  /** 1 (Farvardin) to 12 (Esfand). */
  month: number;
  day: number;
}

export interface GregorianDate {
  year: number;
  /** 1 (January) to 12. */
  month: number;
  day: number;
}

/** The years where the 33-year pattern restarts; the last one ends the table. */
const BREAKS = [
  -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394, 2456, 3178,
];
const LAST_YEAR = 3177;
const DAY_MS = 86_400_000;

const mod = (a: number, b: number) => ((a % b) + b) % b;

/** Whether the year at `offset` within a break period of `length` years is leap. */
function leapAt(offset: number, length: number): boolean {
  const n = length - offset < 6 ? offset - length + 33 * Math.floor((length + 4) / 33) : offset;
  const inCycle = mod(n, 33);
  return inCycle % 4 === 0 && inCycle <= 28;
}

/** Leap years among the first `offset` years of a break period of `length` years. */
function leapsBefore(offset: number, length: number): number {
  const regular = Math.min(offset, Math.max(length - 5, 0));
  let count = Math.floor(regular / 33) * 8 + Math.floor((mod(regular, 33) + 3) / 4);
  for (let k = regular; k < offset; k++) if (leapAt(k, length)) count++;
  return count;
}

/** Days since 1970-01-01 of a Gregorian date (proleptic, years from 100 on). */
function gregorianToDays({ year, month, day }: GregorianDate): number {
  return Date.UTC(year, month - 1, day) / DAY_MS;
}

function daysToGregorian(days: number): GregorianDate {
  const date = new Date(days * DAY_MS);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** The anchor: 1 Farvardin 1300 was 21 March 1921. */
const ANCHOR_YEAR = 1300;
const ANCHOR_DAYS = gregorianToDays({ year: 1921, month: 3, day: 21 });

/** Days since 1970-01-01 of 1 Farvardin of each break year, counted from the anchor. */
const PERIOD_STARTS: readonly number[] = (() => {
  const starts = BREAKS.map(() => 0);
  const home = BREAKS.findIndex((start, i) => ANCHOR_YEAR >= start && ANCHOR_YEAR < (BREAKS[i + 1] ?? -Infinity));
  const length = (i: number) => (BREAKS[i + 1] ?? 0) - (BREAKS[i] ?? 0);
  const yearsIn = (i: number) => 365 * length(i) + leapsBefore(length(i), length(i));
  const offset = ANCHOR_YEAR - (BREAKS[home] ?? 0);
  starts[home] = ANCHOR_DAYS - 365 * offset - leapsBefore(offset, length(home));
  for (let i = home + 1; i < BREAKS.length - 1; i++) starts[i] = (starts[i - 1] ?? 0) + yearsIn(i - 1);
  for (let i = home - 1; i >= 0; i--) starts[i] = (starts[i + 1] ?? 0) - yearsIn(i);
  return starts;
})();

/** The break period of a year: its index, the year's offset in it and the period's length. */
function periodOf(year: number): { index: number; offset: number; length: number } {
  const index = BREAKS.findIndex((start, i) => year >= start && year < (BREAKS[i + 1] ?? -Infinity));
  if (!Number.isInteger(year) || index < 0) throw new RangeError('the Jalali year is outside -61 to 3177');
  const start = BREAKS[index] ?? 0;
  return { index, offset: year - start, length: (BREAKS[index + 1] ?? 0) - start };
}

/** Days since 1970-01-01 of 1 Farvardin of a Jalali year. */
function farvardinFirst(year: number): number {
  const { index, offset, length } = periodOf(year);
  return (PERIOD_STARTS[index] ?? 0) + 365 * offset + leapsBefore(offset, length);
}

/** Whether Esfand of this Jalali year has 30 days. @throws RangeError outside -61 to 3177 */
export function isJalaliLeapYear(year: number): boolean {
  const { offset, length } = periodOf(year);
  return leapAt(offset, length);
}

/** Days in a Jalali month: 31 in months 1–6, 30 in 7–11, 30 in Esfand of a leap year, else 29. */
export function jalaliMonthLength(year: number, month: number): number {
  if (month <= 6) return 31;
  if (month <= 11) return 30;
  return isJalaliLeapYear(year) ? 30 : 29;
}

/** The Jalali date of a Gregorian date. @throws RangeError outside the break table's years */
export function toJalali(gregorian: GregorianDate): JalaliDate {
  const days = gregorianToDays(gregorian);
  // 1 Farvardin falls in March: before it, the Jalali year is one less.
  let year = Math.min(gregorian.year - 621, LAST_YEAR);
  if (days < farvardinFirst(year)) year -= 1;
  const dayOfYear = days - farvardinFirst(year);
  if (dayOfYear >= (isJalaliLeapYear(year) ? 366 : 365)) throw new RangeError('the date is after Jalali year 3177');
  if (dayOfYear < 186) return { year, month: 1 + Math.floor(dayOfYear / 31), day: 1 + (dayOfYear % 31) };
  const after = dayOfYear - 186;
  return { year, month: 7 + Math.floor(after / 30), day: 1 + (after % 30) };
}

/** The Gregorian date of a (real) Jalali date. @throws RangeError outside the break table's years */
export function toGregorian({ year, month, day }: JalaliDate): GregorianDate {
  const dayOfYear = month <= 6 ? 31 * (month - 1) : 186 + 30 * (month - 7);
  return daysToGregorian(farvardinFirst(year) + dayOfYear + day - 1);
}

const TEHRAN = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
  timeZone: 'Asia/Tehran',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
});

/** The Jalali date of the Asia/Tehran day in which an instant (milliseconds since the epoch) falls. */
export function tehranToday(now: number): JalaliDate {
  const parts = Object.fromEntries(TEHRAN.formatToParts(now).map((part) => [part.type, part.value]));
  return toJalali({ year: Number(parts.year), month: Number(parts.month), day: Number(parts.day) });
}

/** `yyyy/mm/dd`, in Persian digits for citizens, or Latin ones for the bus. */
export function formatJalali(date: JalaliDate, digits: 'persian' | 'latin' = 'persian'): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const text = `${date.year}/${pad(date.month)}/${pad(date.day)}`;
  return digits === 'persian' ? toPersianDigits(text) : text;
}

/** Year, month and day separated by a slash, a dash or a dot; or eight digits together. */
const SEPARATED = /^(\d+)[/.\-\u2010-\u2015\u2212](\d{1,2})[/.\-\u2010-\u2015\u2212](\d{1,2})$/;
const TOGETHER = /^(\d{4})(\d{2})(\d{2})$/;

/** The date a typed text names, or the Persian reason it names none. */
function readJalali(text: string): JalaliDate | string {
  const compact = stripInvisible(toAsciiDigits(text));
  const match = SEPARATED.exec(compact) ?? TOGETHER.exec(compact);
  if (!match) return faValidation.jalaliForm;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  // Jalali years in use have four digits and start with 1: a Gregorian year (19xx, 20xx) gets its own reason.
  if (year < 1000 || year > 1999) return faValidation.jalaliYear;
  if (month < 1 || month > 12) return faValidation.jalaliMonth;
  if (day < 1 || day > jalaliMonthLength(year, month)) return faValidation.jalaliDay;
  return { year, month, day };
}

/** A typed Jalali date in, `yyyy/mm/dd` in Latin digits out; a Persian reason when it is wrong. */
export const jalaliDate = v.pipe(
  v.string(),
  v.rawTransform<string, string>(({ dataset, addIssue, NEVER }) => {
    const date = readJalali(dataset.value);
    if (typeof date !== 'string') return formatJalali(date, 'latin');
    addIssue({ message: date });
    return NEVER;
  }),
);

/**
 * A Jalali date no later than the Asia/Tehran day of `now` (a birth date, an issue date). The engine
 * passes the event's time, so the module reads no clock.
 */
export function pastJalaliDate(now: number) {
  const today = formatJalali(tehranToday(now), 'latin');
  // Both sides are zero-padded yyyy/mm/dd, so text order is date order.
  return v.pipe(
    jalaliDate,
    v.check((date: string) => date <= today, faValidation.jalaliFuture),
  );
}
