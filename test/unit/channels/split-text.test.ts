import { describe, expect, it } from 'vitest';
import { splitText } from '../../../src/channels/split-text.ts';

/** The words of a text, as a reader sees them: splitting must neither lose nor cut one. */
const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe('splitText', () => {
  it('leaves a text that fits alone, even an empty one', () => {
    expect(splitText('سلام', 16)).toEqual(['سلام']);
    expect(splitText('ا'.repeat(4000), 4000)).toEqual(['ا'.repeat(4000)]);
    expect(splitText('', 16)).toEqual(['']);
  });

  it('cuts a long Persian text only between words, every part within the limit, nothing lost', () => {
    const text = Array.from(
      { length: 900 },
      (_, i) => `واژه‌ی${i % 7 ? '' : 'بلند'} مبلغ ۱۲٬۵۰۰٬۰۰۰ تومان در ۱۴۰۵/۰۱/۰۲`,
    ).join(' ');
    const parts = splitText(text, 4096);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(4096);
      expect(part).toBe(part.trim());
    }
    expect(words(parts.join(' '))).toEqual(words(text));
  });

  it('never breaks a Persian number, whatever the limit', () => {
    const text = 'مبلغ ۱۲٬۳۴۵٬۶۷۸ تومان تا ۱۴۰۵/۰۱/۰۲ و شناسه‌ی ۷۷۴۸۳۱۷۸۰۰۱۴۲ '.repeat(20).trim();
    for (let limit = 16; limit <= 80; limit++) {
      const parts = splitText(text, limit);
      expect(words(parts.join(' ')), `limit ${limit}`).toEqual(words(text));
      for (const part of parts) expect(part.length).toBeLessThanOrEqual(limit);
    }
  });

  it('prefers a paragraph break, then a line break, to a space, when it leaves the part at least half full', () => {
    const first = 'الف '.repeat(10).trim(); // 39 characters
    const rest = 'ب '.repeat(15).trim(); // 29, so that no two fit in 60
    expect(splitText(`${first}\n\n${rest}`, 60)).toEqual([first, rest]);
    expect(splitText(`${first}\n${rest}`, 60)).toEqual([first, rest]);
    // A paragraph break wins over a later line break, and the line break over a later space.
    const short = 'ج '.repeat(7).trim();
    expect(splitText(`${first}\n\n${short}\n${rest}`, 60)).toEqual([first, `${short}\n${rest}`]);
    expect(splitText(`${first}\n${short} ${rest}`, 60)).toEqual([first, `${short} ${rest}`]);
    // A paragraph break too early would leave a stub: the last space is taken instead.
    const parts = splitText(`کوتاه\n\n${'پ '.repeat(40).trim()}`, 60);
    expect(parts[0]?.startsWith('کوتاه\n\nپ')).toBe(true);
    expect(parts[0]?.length).toBeGreaterThanOrEqual(30);
  });

  it('keeps a bidi-isolated run (a plate) whole', () => {
    const plate = '\u2068۱۲ ب ۳۴۵ ایران ۶۷\u2069';
    const text = `${'ک '.repeat(20)}${plate} ${'ک '.repeat(20)}`.trim();
    for (let limit = 20; limit <= 60; limit++) {
      expect(
        splitText(text, limit).some((part) => part.includes(plate)),
        `limit ${limit}`,
      ).toBe(true);
    }
  });

  it('cuts a single run longer than the limit inside it, but never within a surrogate pair or before a mark', () => {
    const emoji = '😀'.repeat(20); // 40 UTF-16 code units
    const parts = splitText(emoji, 17);
    expect(parts.join('')).toBe(emoji);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(17);
    expect(parts.every((part) => !/^[\udc00-\udfff]/.test(part))).toBe(true);
    const marked = 'بِ'.repeat(20);
    expect(splitText(marked, 17).every((part) => !/^\p{M}/u.test(part))).toBe(true);
  });

  it('refuses a limit too small to hold a word', () => {
    expect(() => splitText('x', 5)).toThrow(RangeError);
  });
});
