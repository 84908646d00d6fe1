import { describe, expect, it } from 'vitest';
import {
  normaliseIdentifier,
  normaliseText,
  stripInvisible,
  toAsciiDigits,
} from '../../../src/validation/normalise.ts';

describe('normalise', () => {
  it('turns Persian and Arabic-Indic digits into ASCII', () => {
    expect(toAsciiDigits('۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789');
    expect(toAsciiDigits('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(toAsciiDigits('کد ۱۲')).toBe('کد 12');
  });

  it('strips the separators people type inside identifiers', () => {
    expect(normaliseIdentifier('12 34-56\u200c78\u200f90\u2013')).toBe('1234567890');
    expect(normaliseIdentifier('\u202b12\u202c\u2212\u00a034_5')).toBe('12345');
  });

  it('strips the bidi isolates Pishkhan puts around plates, so a copied plate reads back', () => {
    expect(normaliseIdentifier('\u2066۱۲ ب\u200e ۳۴۵\u2069')).toBe('12ب345');
  });

  it('turns Arabic yeh and kaf into Persian letters inside identifiers', () => {
    expect(normaliseIdentifier('ايران ك')).toBe('ایرانک');
  });

  it('keeps dashes when only the invisible characters go', () => {
    expect(stripInvisible(' 1370\u200c-01 - 01\u200f')).toBe('1370-01-01');
  });

  it('matches menu words whatever their letter forms and spacing', () => {
    expect(normaliseText('  منوي   اصلي ')).toBe('منوی اصلی');
    expect(normaliseText('كد')).toBe('کد');
  });
});
