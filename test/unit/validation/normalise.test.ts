import { describe, expect, it } from 'vitest';
import { normaliseIdentifier, normaliseText, toAsciiDigits } from '../../../src/validation/normalise.ts';

describe('normalise', () => {
  it('turns Persian and Arabic-Indic digits into ASCII', () => {
    expect(toAsciiDigits('۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789');
    expect(toAsciiDigits('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(toAsciiDigits('کد ۱۲')).toBe('کد 12');
  });

  it('strips the separators people type inside identifiers', () => {
    expect(normaliseIdentifier('12 34-56\u200c78\u200f90\u2013')).toBe('1234567890');
  });

  it('matches menu words whatever their letter forms and spacing', () => {
    expect(normaliseText('  منوي   اصلي ')).toBe('منوی اصلی');
    expect(normaliseText('كد')).toBe('کد');
  });
});
