import { describe, expect, it } from 'vitest';
import { parseExactJson, stringifyExact } from '../../../src/channels/exact-json.ts';

describe('exact JSON', () => {
  it('reads every integer as its digits, beyond 2^53 too, and leaves other numbers as numbers', () => {
    const text = '{"id": 9007199254740993, "n": -42, "zero": 0, "lat": 35.74, "big": 1e3, "list": [1, 2.5]}';
    expect(parseExactJson(text)).toEqual({
      id: '9007199254740993',
      n: '-42',
      zero: '0',
      lat: 35.74,
      big: 1000,
      list: ['1', 2.5],
    });
  });

  it('leaves digits inside strings alone, escaped quotes included', () => {
    const text = String.raw`{"text": "کد \"123\" و 456", "k\\": 7}`;
    expect(parseExactJson(text)).toEqual({ text: 'کد "123" و 456', 'k\\': '7' });
  });

  it.each(['{"a":', '{1: 2}', '[01]', '', '{"a": 1} x'])('refuses %j as JSON does', (text) => {
    expect(() => parseExactJson(text)).toThrow(SyntaxError);
  });

  it('writes bigints as integer literals, digit for digit, and the rest as JSON does', () => {
    const value = {
      chat_id: 123456789012345678901n,
      text: 'سلام "دنیا"',
      n: 1.5,
      skip: undefined,
      list: [1n, null, undefined, true],
    };
    const text = stringifyExact(value);
    expect(text).toBe('{"chat_id":123456789012345678901,"text":"سلام \\"دنیا\\"","n":1.5,"list":[1,null,null,true]}');
    expect(parseExactJson(text)).toEqual({
      chat_id: '123456789012345678901',
      text: 'سلام "دنیا"',
      n: 1.5,
      list: ['1', null, null, true],
    });
  });
});
