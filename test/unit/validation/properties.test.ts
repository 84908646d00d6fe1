/**
 * The validators' properties over generated input (seeded: FUZZ_SEED replays another run):
 * normalising twice is normalising once; what a validator puts out, it accepts again unchanged;
 * every code built by docs/bus.md#validation-rules is accepted however it is typed, and a single changed
 * digit is refused wherever the rule can see it; Jalali dates survive the way there and back.
 */
import fc from 'fast-check';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { billId as billIdSchema, paymentAmount, paymentId } from '../../../src/validation/bill.ts';
import { formatJalali, jalaliDate, jalaliMonthLength, toGregorian, toJalali } from '../../../src/validation/jalali.ts';
import { MOBILE_OPERATOR_PREFIXES, mobile } from '../../../src/validation/mobile.ts';
import { nationalCode } from '../../../src/validation/national-code.ts';
import { normaliseIdentifier, normaliseText } from '../../../src/validation/normalise.ts';
import { isolatePlate, plate, readablePlate } from '../../../src/validation/plate.ts';
import { postcode } from '../../../src/validation/postcode.ts';
import { FUZZ_SEED } from '../../support/fuzz-seed.ts';

const RUNS = { seed: FUZZ_SEED, numRuns: 2000 };
const accepts = (schema: v.GenericSchema<string, string>, input: string) => v.safeParse(schema, input).success;

const digit = fc.integer({ min: 0, max: 9 });
const digitsOf = (length: number, from = digit) =>
  fc.array(from, { minLength: length, maxLength: length }).map((list) => list.join(''));

/** What people put inside an identifier: spaces, dashes, ZWNJ, bidi marks, an underscore. */
const SEPARATORS = [' ', '-', '\u200c', '\u200e', '\u200f', '\u202b', '\u2013', '\u2212', '_', '\u00a0'];
const ZEROS = [0x30, 0x06f0, 0x0660]; // ASCII, Persian, Arabic-Indic

/** Any way of typing ASCII digits: each digit in any of the three scripts, separators anywhere. */
const typed = (ascii: string) =>
  fc
    .tuple(
      fc.array(fc.constantFrom(...ZEROS), { minLength: ascii.length, maxLength: ascii.length }),
      fc.array(fc.option(fc.constantFrom(...SEPARATORS), { freq: 3 }), {
        minLength: ascii.length + 1,
        maxLength: ascii.length + 1,
      }),
    )
    .map(([zeros, separators]) => {
      let text = separators[0] ?? '';
      for (let i = 0; i < ascii.length; i++) {
        const char = ascii[i] as string;
        const zero = zeros[i] as number;
        text += /\d/.test(char) ? String.fromCharCode(zero + Number(char)) : char;
        text += separators[i + 1] ?? '';
      }
      return text;
    });

/** Every code with exactly one digit changed. */
function singleDigitChanges(code: string): string[] {
  const changed: string[] = [];
  for (let i = 0; i < code.length; i++) {
    for (let d = 0; d <= 9; d++) {
      if (String(d) !== code[i]) changed.push(code.slice(0, i) + d + code.slice(i + 1));
    }
  }
  return changed;
}

// The check digits as docs/bus.md#validation-rules states them, written again here as the tests' oracle.
function nationalCheckDigit(nine: string): number {
  const s = [...nine].reduce((sum, d, i) => sum + Number(d) * (10 - i), 0) % 11;
  return s < 2 ? s : 11 - s;
}
function billCheck(digits: string): number {
  const s = [...digits].reverse().reduce((sum, d, i) => sum + Number(d) * (2 + (i % 6)), 0) % 11;
  return s < 2 ? 0 : 11 - s;
}

describe('normalising', () => {
  const typedText = fc.string({
    unit: fc.constantFrom(...'۰۱۹٠٩09 يىكیکابـ-_\u200c\u200d\u200e\u200f\u202a\u202e\u2066\u2069\u061c\u2013\t\n'),
  });
  const anyText = fc.oneof(typedText, fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }));

  it('twice is once, for identifiers and for free text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(normaliseIdentifier(normaliseIdentifier(text))).toBe(normaliseIdentifier(text));
        expect(normaliseText(normaliseText(text))).toBe(normaliseText(text));
      }),
      RUNS,
    );
  });

  it('leaves an identifier nothing invisible, no separator and no digit but ASCII', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(normaliseIdentifier(text)).not.toMatch(/\s|\u200c|\u200d|[\u200e\u200f\u202a-\u202e\u2066-\u2069\-_]/);
        expect(normaliseIdentifier(text)).not.toMatch(/[\u06f0-\u06f9\u0660-\u0669]/);
      }),
      RUNS,
    );
  });
});

describe('the national code', () => {
  /** Nine digits a code may start with: not one digit repeated, digits 4–9 not all zero. */
  const issuable = digitsOf(9).filter((nine) => !/^(\d)\1{8}$/.test(nine) && nine.slice(3) !== '000000');
  const code = issuable.map((nine) => nine + nationalCheckDigit(nine));

  it('accepts every code built by the rule, however it is typed, and gives back its ten digits', () => {
    fc.assert(
      fc.property(
        code.chain((ten) => fc.tuple(fc.constant(ten), typed(ten))),
        ([ten, input]) => {
          expect(v.parse(nationalCode, input)).toBe(ten);
          expect(v.parse(nationalCode, ten)).toBe(ten);
        },
      ),
      RUNS,
    );
  });

  it('refuses every single-digit change, but where the rule is blind: two remainders share check digit 1', () => {
    fc.assert(
      fc.property(code, (ten) => {
        for (const changed of singleDigitChanges(ten)) {
          if (changed.at(-1) !== ten.at(-1) || ten.at(-1) !== '1') expect(accepts(nationalCode, changed)).toBe(false);
        }
      }),
      { ...RUNS, numRuns: 500 },
    );
    // The blind spot is real: 000000019 sums to 21 (s = 10), and a first digit of 9 adds 90 (s = 1).
    expect(accepts(nationalCode, '0000000191')).toBe(true);
    expect(accepts(nationalCode, '9000000191')).toBe(true);
  });
});

describe('the bill id and payment id', () => {
  const TYPES = ['1', '2', '3', '4', '5', '6', '8', '9'];
  /** A bill id of 6 to 13 digits: a first digit that is not 0, the others, the type, the check digit. */
  const bill = fc
    .tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 3, max: 10 }), fc.constantFrom(...TYPES))
    .chain(([first, length, type]) => digitsOf(length).map((middle) => `${first}${middle}${type}`))
    .map((body) => body + billCheck(body));

  it('accepts every bill id built by the rule, however it is typed', () => {
    fc.assert(
      fc.property(
        bill.chain((id) => fc.tuple(fc.constant(id), typed(id))),
        ([id, input]) => {
          expect(v.parse(billIdSchema, input)).toBe(id);
        },
      ),
      RUNS,
    );
  });

  it('refuses every single-digit change, but where the rule is blind: two remainders share check digit 0', () => {
    fc.assert(
      fc.property(bill, (id) => {
        for (const changed of singleDigitChanges(id)) {
          if (changed.at(-1) !== id.at(-1) || id.at(-1) !== '0') expect(accepts(billIdSchema, changed)).toBe(false);
        }
      }),
      { ...RUNS, numRuns: 500 },
    );
  });

  it('accepts every payment id built by the rule for its bill, reads its amount, and takes it for another bill only as the rule does', () => {
    const payment = fc
      .tuple(bill, fc.integer({ min: 1, max: 9_999_999 }), digitsOf(3), bill)
      .map(([id, thousands, period, other]) => {
        const head = `${thousands}${period}`;
        const first = billCheck(head);
        return { id, other, thousands, pid: `${head}${first}${billCheck(`${id}${head}${first}`)}` };
      });
    fc.assert(
      fc.property(payment, ({ id, other, thousands, pid }) => {
        expect(v.parse(paymentId(id), pid)).toBe(pid);
        expect(paymentAmount(pid)).toBe(thousands * 1000);
        const fitsOther = billCheck(`${other}${pid.slice(0, -1)}`) === Number(pid.at(-1));
        expect(accepts(paymentId(other), pid)).toBe(fitsOther);
      }),
      RUNS,
    );
  });
});

describe('the mobile number', () => {
  const prefixes = Object.values(MOBILE_OPERATOR_PREFIXES).flat();

  it('accepts every number of a known operator, with any country or trunk prefix, as 09xxxxxxxxx', () => {
    const number = fc.tuple(fc.constantFrom(...prefixes), digitsOf(7)).map(([prefix, rest]) => prefix + rest);
    fc.assert(
      fc.property(
        number.chain((ten) =>
          fc.tuple(
            fc.constant(ten),
            fc.constantFrom('', '0', '98', '+98', '0098').chain((lead) => typed(lead + ten)),
          ),
        ),
        ([ten, input]) => {
          expect(v.parse(mobile, input)).toBe(`0${ten}`);
          expect(v.parse(mobile, `0${ten}`)).toBe(`0${ten}`);
        },
      ),
      RUNS,
    );
  });

  it('refuses a number whose prefix no operator holds', () => {
    const unknown = digitsOf(2)
      .map((xy) => `9${xy}`)
      .filter((prefix) => !prefixes.includes(prefix));
    fc.assert(
      fc.property(fc.tuple(unknown, digitsOf(7)), ([prefix, rest]) => {
        expect(accepts(mobile, `0${prefix}${rest}`)).toBe(false);
      }),
      RUNS,
    );
  });
});

describe('the postcode', () => {
  it('accepts every code of the GNAF pattern, however it is typed, and refuses a 0 or 2 in its first four digits', () => {
    const allowed = (list: string) => fc.constantFrom(...[...list].map(Number));
    const code = fc
      .tuple(digitsOf(4, allowed('1346789')), allowed('1346789'), allowed('123456789'), digitsOf(4))
      .filter(([, , , last]) => last !== '0000')
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.tuple(code, fc.integer({ min: 0, max: 3 }), fc.constantFrom('0', '2')), ([ten, at, bad]) => {
        expect(accepts(postcode, ten)).toBe(true);
        expect(accepts(postcode, ten.slice(0, at) + bad + ten.slice(at + 1))).toBe(false);
      }),
      RUNS,
    );
    fc.assert(
      fc.property(
        code.chain((ten) => fc.tuple(fc.constant(ten), typed(ten))),
        ([ten, input]) => {
          expect(v.parse(postcode, input)).toBe(ten);
        },
      ),
      RUNS,
    );
  });
});

describe('the car plate', () => {
  it('reads back every plate it shows a citizen, isolated inside a sentence or not', () => {
    const nine = fc
      .tuple(digitsOf(2), fc.integer({ min: 1, max: 34 }), digitsOf(3), digitsOf(2))
      .map(([first, letter, serial, province]) => `${first}${String(letter).padStart(2, '0')}${serial}${province}`);
    fc.assert(
      fc.property(nine, (digits) => {
        const readable = readablePlate(digits) as string;
        expect(v.parse(plate, readable)).toBe(digits);
        expect(v.parse(plate, isolatePlate(readable))).toBe(digits);
      }),
      RUNS,
    );
  });
});

describe('Jalali dates', () => {
  const DAY_MS = 86_400_000;
  const FIRST = Date.UTC(1800, 0, 1) / DAY_MS;
  const LAST = Date.UTC(2200, 11, 31) / DAY_MS;
  const gregorianOf = (days: number) => {
    const date = new Date(days * DAY_MS);
    return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
  };

  it('go there and back, and the next Gregorian day is the next Jalali day, from 1800 to 2200', () => {
    fc.assert(
      fc.property(fc.integer({ min: FIRST, max: LAST - 1 }), (days) => {
        const jalali = toJalali(gregorianOf(days));
        expect(toGregorian(jalali)).toEqual(gregorianOf(days));
        const next = toJalali(gregorianOf(days + 1));
        const lastOfMonth = jalali.day === jalaliMonthLength(jalali.year, jalali.month);
        if (!lastOfMonth) expect(next).toEqual({ ...jalali, day: jalali.day + 1 });
        else if (jalali.month < 12) expect(next).toEqual({ year: jalali.year, month: jalali.month + 1, day: 1 });
        else expect(next).toEqual({ year: jalali.year + 1, month: 1, day: 1 });
      }),
      RUNS,
    );
  });

  it('read back as they are written, in Persian digits or Latin', () => {
    const date = fc
      .tuple(fc.integer({ min: 1000, max: 1999 }), fc.integer({ min: 1, max: 12 }))
      .chain(([year, month]) =>
        fc.integer({ min: 1, max: jalaliMonthLength(year, month) }).map((day) => ({ year, month, day })),
      );
    fc.assert(
      fc.property(date, (jalali) => {
        const latin = formatJalali(jalali, 'latin');
        expect(v.parse(jalaliDate, formatJalali(jalali, 'persian'))).toBe(latin);
        expect(v.parse(jalaliDate, latin)).toBe(latin);
        expect(toJalali(toGregorian(jalali))).toEqual(jalali);
      }),
      RUNS,
    );
  });
});
