import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { faValidation } from '../../../src/i18n/fa-validation.ts';
import {
  formatJalali,
  isJalaliLeapYear,
  jalaliDate,
  jalaliMonthLength,
  pastJalaliDate,
  tehranToday,
  toGregorian,
  toJalali,
} from '../../../src/validation/jalali.ts';

const reason = (schema: v.GenericSchema<string, string>, input: string) => {
  const result = v.safeParse(schema, input);
  expect(result.success).toBe(false);
  return result.issues?.[0]?.message;
};

describe('reading a typed Jalali date', () => {
  it.each([
    '۱۳۷۰/۱/۱',
    '1370-01-01',
    '13700101',
    '١٣٧٠/١/١',
    '۱۳۷۰۰۱۰۱',
    ' 1370 / 1 / 1 ',
    '۱۳۷۰\u200c/۰۱\u200c/۰۱',
    '1370\u201301\u201301',
    '\u200f1370.1.1',
  ])('reads «%s» as 1370/01/01', (typed) => {
    expect(v.parse(jalaliDate, typed)).toBe('1370/01/01');
  });

  it('says month 13 does not exist (1370/13/01)', () => {
    expect(reason(jalaliDate, '1370/13/01')).toBe(faValidation.jalaliMonth);
    expect(reason(jalaliDate, '۱۳۷۰/۰/۱۰')).toBe(faValidation.jalaliMonth);
  });

  it('says Mehr has no 31st day (1370/07/31), and no month has a 32nd or a 0th', () => {
    expect(reason(jalaliDate, '1370/07/31')).toBe(faValidation.jalaliDay);
    expect(reason(jalaliDate, '1370/06/32')).toBe(faValidation.jalaliDay);
    expect(reason(jalaliDate, '1370/01/00')).toBe(faValidation.jalaliDay);
    expect(v.parse(jalaliDate, '1370/06/31')).toBe('1370/06/31');
    expect(v.parse(jalaliDate, '1370/11/30')).toBe('1370/11/30');
  });

  it('gives Esfand 30 days only in leap years: 1399/12/30 and 1403/12/30 exist, 1399/12/31 and 1404/12/30 do not', () => {
    expect(reason(jalaliDate, '1399/12/31')).toBe(faValidation.jalaliDay);
    expect(v.parse(jalaliDate, '1399/12/30')).toBe('1399/12/30');
    expect(v.parse(jalaliDate, '۱۴۰۳/۱۲/۳۰')).toBe('1403/12/30');
    expect(reason(jalaliDate, '1402/12/30')).toBe(faValidation.jalaliDay);
    expect(reason(jalaliDate, '1404/12/30')).toBe(faValidation.jalaliDay);
  });

  it('asks for a four-digit Jalali year, refusing two-digit and Gregorian years', () => {
    expect(reason(jalaliDate, '70/1/1')).toBe(faValidation.jalaliYear);
    expect(reason(jalaliDate, '2024/03/20')).toBe(faValidation.jalaliYear);
  });

  it('shows the form of a date when the text is not one', () => {
    for (const typed of ['1370/1', '1370011', 'فروردین ۱۳۷۰', '1370/01/01/01', '']) {
      expect(reason(jalaliDate, typed)).toBe(faValidation.jalaliForm);
    }
  });
});

describe('dates that must not be in the future', () => {
  // 2024-03-19 20:30 UTC is 2024-03-20 00:00 in Tehran (UTC+3:30): already 1 Farvardin 1403 there.
  const tehranMidnight = Date.UTC(2024, 2, 19, 20, 30);

  it('takes today as the Tehran day: at 00:30 in Tehran, still 1402/12/29 in UTC, 1403/01/01 is today', () => {
    const now = tehranMidnight + 30 * 60_000;
    expect(tehranToday(now)).toEqual({ year: 1403, month: 1, day: 1 });
    expect(v.parse(pastJalaliDate(now), '۱۴۰۳/۰۱/۰۱')).toBe('1403/01/01');
    expect(reason(pastJalaliDate(now), '1403/01/02')).toBe(faValidation.jalaliFuture);
  });

  it('refuses 1403/01/01 one second before Tehran midnight', () => {
    const now = tehranMidnight - 1000;
    expect(tehranToday(now)).toEqual({ year: 1402, month: 12, day: 29 });
    expect(reason(pastJalaliDate(now), '1403/01/01')).toBe(faValidation.jalaliFuture);
    expect(v.parse(pastJalaliDate(now), '1402/12/29')).toBe('1402/12/29');
  });

  it('accepts a birth date decades ago and still gives the other reasons first', () => {
    const schema = pastJalaliDate(tehranMidnight);
    expect(v.parse(schema, '1370/1/1')).toBe('1370/01/01');
    expect(reason(schema, '1370/07/31')).toBe(faValidation.jalaliDay);
  });
});

describe('Gregorian ↔ Jalali', () => {
  it.each([
    [
      [1921, 3, 21],
      [1300, 1, 1],
    ],
    [
      [1981, 8, 17],
      [1360, 5, 26],
    ],
    [
      [2000, 1, 1],
      [1378, 10, 11],
    ],
    [
      [2024, 3, 19],
      [1402, 12, 29],
    ],
    [
      [2024, 3, 20],
      [1403, 1, 1],
    ],
    [
      [2025, 3, 20],
      [1403, 12, 30],
    ],
    [
      [2025, 3, 21],
      [1404, 1, 1],
    ],
  ])('converts %j to %j and back', ([gy, gm, gd], [jy, jm, jd]) => {
    expect(toJalali({ year: gy!, month: gm!, day: gd! })).toEqual({ year: jy, month: jm, day: jd });
    expect(toGregorian({ year: jy!, month: jm!, day: jd! })).toEqual({ year: gy, month: gm, day: gd });
  });

  it('knows the leap years of the 33-year cycle', () => {
    for (const year of [1300, 1309, 1370, 1375, 1379, 1383, 1387, 1391, 1395, 1399, 1403, 1408, 1412, 1449]) {
      expect(isJalaliLeapYear(year), String(year)).toBe(true);
    }
    for (const year of [1301, 1369, 1371, 1374, 1400, 1401, 1402, 1404, 1405, 1406, 1407]) {
      expect(isJalaliLeapYear(year), String(year)).toBe(false);
    }
    expect([1, 6, 7, 11, 12].map((month) => jalaliMonthLength(1402, month))).toEqual([31, 31, 30, 30, 29]);
    expect(jalaliMonthLength(1403, 12)).toBe(30);
  });

  it('throws a RangeError outside the break table (-61 to 3177)', () => {
    expect(() => isJalaliLeapYear(-62)).toThrow(RangeError);
    expect(() => isJalaliLeapYear(3178)).toThrow(RangeError);
    expect(() => toGregorian({ year: 3178, month: 1, day: 1 })).toThrow(RangeError);
    const last = toGregorian({ year: 3177, month: 12, day: jalaliMonthLength(3177, 12) });
    expect(() => toJalali({ ...last, day: last.day + 1 })).toThrow(RangeError);
    expect(() => toJalali({ year: 560, month: 1, day: 1 })).toThrow(RangeError);
  });

  it('agrees with Intl (ICU) on every day of 1300 to 1450, in both directions', () => {
    const icu = new Intl.DateTimeFormat('en-US-u-ca-persian', {
      timeZone: 'Asia/Tehran',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    });
    const DAY = 86_400_000;
    let days = 0;
    // Noon UTC is the afternoon of the same day in Tehran, whatever its offset was that year.
    for (let t = Date.UTC(1921, 2, 21, 12); ; t += DAY) {
      const parts = Object.fromEntries(icu.formatToParts(t).map((part) => [part.type, Number(part.value)]));
      if (parts.year! > 1450) break;
      const at = new Date(t);
      const gregorian = { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate() };
      const jalali = toJalali(gregorian);
      if (jalali.year !== parts.year || jalali.month !== parts.month || jalali.day !== parts.day) {
        expect(jalali, `${at.toISOString().slice(0, 10)}`).toEqual({
          year: parts.year,
          month: parts.month,
          day: parts.day,
        });
      }
      const back = toGregorian(jalali);
      if (back.day !== gregorian.day || back.month !== gregorian.month || back.year !== gregorian.year) {
        expect(back).toEqual(gregorian);
      }
      days++;
    }
    expect(days).toBe(55_152);
  });

  it('round-trips the first, middle and last day of every month across the whole break table', () => {
    for (let year = -61; year <= 3177; year++) {
      for (const month of [1, 6, 7, 12]) {
        const last = jalaliMonthLength(year, month);
        for (const day of [1, 15, last]) {
          const date = { year, month, day };
          const back = toJalali(toGregorian(date));
          if (back.year !== year || back.month !== month || back.day !== day) expect(back).toEqual(date);
        }
      }
    }
  });
});

describe('writing a Jalali date', () => {
  it('writes yyyy/mm/dd in Persian digits for citizens, and Latin ones for the bus', () => {
    expect(formatJalali({ year: 1403, month: 1, day: 5 })).toBe('۱۴۰۳/۰۱/۰۵');
    expect(formatJalali({ year: 1370, month: 12, day: 29 }, 'latin')).toBe('1370/12/29');
  });
});
