import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  HOUR_MS,
  nextCheckAt,
  offsetInDay,
  sendableAt,
  TEHRAN_OFFSET_MS,
  tehranDay,
  tehranTimeOfDay,
} from '../../../src/pipeline/notice-schedule.ts';
import { FUZZ_SEED } from '../../support/fuzz-seed.ts';

/** Tehran wall-clock time on 2026-12-06 (UTC+03:30). */
const tehran = (hour: number, minute = 0) => Date.UTC(2026, 11, 6, hour, minute) - TEHRAN_OFFSET_MS;

describe('Tehran time', () => {
  it('is UTC+03:30: 20:30 UTC is midnight of the next Tehran day', () => {
    const midnight = Date.UTC(2026, 11, 6, 20, 30);
    expect(tehranTimeOfDay(midnight)).toBe(0);
    expect(tehranDay(midnight)).toBe(tehranDay(midnight - 1) + 1);
    expect(tehranTimeOfDay(Date.UTC(2026, 11, 6, 4, 30))).toBe(8 * HOUR_MS);
  });
});

describe('quiet hours', () => {
  it('lets a notice made by day go at once', () => {
    for (const at of [tehran(8), tehran(12, 30), tehran(21, 59)]) expect(sendableAt(at)).toBe(at);
  });

  it('holds a notice made from 22:00 to 08:00 until 08:00 Tehran time', () => {
    expect(sendableAt(tehran(22))).toBe(tehran(8) + DAY_MS);
    expect(sendableAt(tehran(23))).toBe(tehran(8) + DAY_MS);
    expect(sendableAt(tehran(0, 1))).toBe(tehran(8));
    expect(sendableAt(tehran(7, 59))).toBe(tehran(8));
  });

  it('never sends between 22:00 and 08:00, and never holds a notice longer than ten hours', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2022, 0, 1), max: Date.UTC(2040, 0, 1) }), (at) => {
        const sent = sendableAt(at);
        const hour = tehranTimeOfDay(sent) / HOUR_MS;
        expect(sent).toBeGreaterThanOrEqual(at);
        expect(sent - at).toBeLessThanOrEqual(10 * HOUR_MS);
        expect(hour >= 8 && hour < 22).toBe(true);
      }),
      { seed: FUZZ_SEED },
    );
  });
});

describe('the spread of checks', () => {
  it('gives each subscription its own moment of the day, the same every time', () => {
    expect(offsetInDay('a1b2')).toBe(offsetInDay('a1b2'));
    expect(offsetInDay('a1b2')).not.toBe(offsetInDay('a1b3'));
  });

  it('spreads random ids evenly over the day: each hour gets its share', () => {
    const perHour = new Array<number>(24).fill(0);
    for (let i = 0; i < 4_800; i++) {
      const offset = offsetInDay(crypto.randomUUID());
      expect(offset).toBeGreaterThanOrEqual(0);
      expect(offset).toBeLessThan(DAY_MS);
      perHour[Math.floor(offset / HOUR_MS)]! += 1;
    }
    // 200 expected per hour; a hash that clumped would leave hours near empty.
    for (const n of perHour) expect(n).toBeGreaterThan(120);
  });

  it("checks next on the following Tehran day, at the subscription's moment, however late this check came", () => {
    const id = crypto.randomUUID();
    for (const at of [tehran(0, 5), tehran(12), tehran(23, 55)]) {
      const next = nextCheckAt(id, at);
      expect(tehranDay(next)).toBe(tehranDay(at) + 1);
      expect(tehranTimeOfDay(next)).toBe(offsetInDay(id));
    }
  });
});
