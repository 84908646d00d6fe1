import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { faValidation } from '../../../src/i18n/fa-validation.ts';
import { isolatePlate, plate, readablePlate } from '../../../src/validation/plate.ts';

const upstream = (typed: string) => v.parse(plate, typed);
const reason = (typed: string) => v.safeParse(plate, typed).issues?.[0]?.message;

describe('car plate', () => {
  it.each([
    '۱۲ ب ۳۴۵ ایران ۶۷',
    '12ب34567',
    '12 ب 345 - 67',
    '١٢ ب ٣٤٥ ايران ٦٧',
    '۱۲\u200cب\u200c۳۴۵\u200cایران\u200c۶۷',
    '12-ب-345-67',
    '۱۲ب۳۴۵ ۶۷ ایران',
  ])('reads «%s» as 120234567', (typed) => {
    expect(upstream(typed)).toBe('120234567');
  });

  it('reads 55 ق 111 ایران 88 as 552411188', () => {
    expect(upstream('55 ق 111 ایران 88')).toBe('552411188');
    expect(upstream('۵۵ ق ۱۱۱ ایران ۸۸')).toBe('552411188');
  });

  it('reads a plate typed in reverse group order, as it looks in a right-to-left field', () => {
    expect(upstream('۶۷ ایران ۳۴۵ ب ۱۲')).toBe('120234567');
    expect(upstream('ایران ۸۸ ۱۱۱ ق ۵۵')).toBe('552411188');
    expect(upstream('67 345 ب 12')).toBe('120234567');
  });

  it('codes the word معلولین as 33 and تشریفات as 34', () => {
    expect(upstream('۱۲ معلولین ۳۴۵ ایران ۶۷')).toBe('123334567');
    expect(upstream('12 تشریفات 345 - 67')).toBe('123434567');
  });

  it('codes the letters from الف (01) to ی (32), in their Arabic forms too', () => {
    expect(upstream('۱۲ الف ۳۴۵ ایران ۶۷')).toBe('120134567');
    expect(upstream('۱۲ ا ۳۴۵ ایران ۶۷')).toBe('120134567');
    expect(upstream('۱۲ ی ۳۴۵ ایران ۶۷')).toBe('123234567');
    expect(upstream('۱۲ ي ۳۴۵ ایران ۶۷')).toBe('123234567');
    expect(upstream('۱۲ ک ۳۴۵ ایران ۶۷')).toBe('122534567');
    expect(upstream('۱۲ ك ۳۴۵ ایران ۶۷')).toBe('122534567');
    expect(upstream('۱۲ ژ ۳۴۵ ایران ۶۷')).toBe('121434567');
  });

  it('says the letter is unknown when the shape is right but the letter is not a plate letter', () => {
    expect(reason('12 X 345 67')).toBe(faValidation.plateLetter);
    expect(reason('۱۲ بب ۳۴۵ ایران ۶۷')).toBe(faValidation.plateLetter);
  });

  it('shows the plate shape when the digits are not 2, 3 and 2 around one letter', () => {
    for (const typed of ['1ب34567', '123ب4567', '12ب345678', '1234567', 'ب', '']) {
      expect(reason(typed)).toBe(faValidation.plateForm);
    }
  });
});

describe('readable plate', () => {
  it('writes 552411188 as ۵۵ ق ۱۱۱ ایران ۸۸', () => {
    expect(readablePlate('552411188')).toBe('۵۵ ق ۱۱۱ ایران ۸۸');
    expect(readablePlate('123334567')).toBe('۱۲ معلولین ۳۴۵ ایران ۶۷');
  });

  it('round-trips every letter code from 01 to 34', () => {
    for (let code = 1; code <= 34; code++) {
      const nine = `12${String(code).padStart(2, '0')}34567`;
      const readable = readablePlate(nine);
      expect(readable).not.toBeNull();
      expect(upstream(readable ?? '')).toBe(nine);
    }
  });

  it('gives null for digits that are no plate', () => {
    expect(readablePlate('120034567')).toBeNull();
    expect(readablePlate('123534567')).toBeNull();
    expect(readablePlate('12345')).toBeNull();
  });

  it('isolates a plate left to right for Persian text, and still reads it back', () => {
    const isolated = isolatePlate(readablePlate('552411188') ?? '');
    expect(isolated).toBe('\u2066۵۵ ق\u200e ۱۱۱ ایران\u200e ۸۸\u2069');
    expect(upstream(isolated)).toBe('552411188');
  });
});
