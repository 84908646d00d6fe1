import { describe, expect, it } from 'vitest';
import {
  Decimal,
  type InnerList,
  type Item,
  parseDictionary,
  StructuredFieldError,
  serializeDictionary,
  serializeInnerList,
  serializeItem,
  Token,
} from '../../../../src/upstream/signing/structured-fields.ts';

const roundTrip = (field: string) => serializeDictionary(parseDictionary(field));

describe('RFC 8941 dictionaries', () => {
  it('round-trips a Signature-Input: inner lists of strings with parameters of every supported type', () => {
    const field =
      'sig1=("@method" "@target-uri" "content-digest" "@status";req);created=1618884473;expires=1618884773;' +
      'nonce="b3k2pp5k7z-50gnwp.yemd";keyid="test-key-ed25519";alg="ed25519";tag="pishkhan-gsb", ' +
      'sig2=();created=-5;flag;off=?0;kind=tok/en:1';
    expect(roundTrip(field)).toBe(field);
  });

  it('reads the member values and parameters with their types and order', () => {
    const sig1 = parseDictionary('sig1=("a" "b";req);created=1;keyid="k";x=?0;t=tok').get('sig1') as InnerList;
    expect(sig1.items.map((item) => item.value)).toEqual(['a', 'b']);
    expect([...(sig1.items[1] as Item).params]).toEqual([['req', true]]);
    expect([...sig1.params.keys()]).toEqual(['created', 'keyid', 'x', 't']);
    expect(sig1.params.get('created')).toBe(1);
    expect(sig1.params.get('x')).toBe(false);
    expect(sig1.params.get('t')).toEqual(new Token('tok'));
  });

  it('round-trips a Signature: byte sequences', () => {
    const field =
      'sig1=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:, e=::';
    const parsed = parseDictionary(field);
    expect(((parsed.get('sig1') as Item).value as Uint8Array).length).toBe(64);
    expect(roundTrip(field)).toBe(field);
  });

  it('serializes canonically: optional whitespace dropped, true members bare, escapes kept', () => {
    expect(roundTrip(' a=1 ,\tb=("x"   "y" );p , c=?1;q=2 ')).toBe('a=1, b=("x" "y");p, c;q=2');
    expect(roundTrip('s="say \\"hi\\" \\\\ bye"')).toBe('s="say \\"hi\\" \\\\ bye"');
    expect((parseDictionary('s="say \\"hi\\""').get('s') as Item).value).toBe('say "hi"');
    expect(roundTrip('n=-999999999999999, m=999999999999999, z=-0')).toBe('n=-999999999999999, m=999999999999999, z=0');
    expect(roundTrip('b=:YQ:')).toBe('b=:YQ==:'); // missing padding tolerated (RFC 8941 §4.2.7), added back
    expect(parseDictionary('').size).toBe(0);
  });

  it('reads decimals apart from integers and serializes them with at most three places', () => {
    const parsed = parseDictionary('a=1.5, b=-0.25, c=2, d=999999999999.999');
    expect((parsed.get('a') as Item).value).toEqual(new Decimal(1.5));
    expect((parsed.get('c') as Item).value).toBe(2);
    expect(serializeDictionary(parsed)).toBe('a=1.5, b=-0.25, c=2, d=999999999999.999');
    expect(serializeItem({ value: new Decimal(2), params: new Map() })).toBe('2.0');
    expect(serializeItem({ value: new Decimal(0.0625), params: new Map() })).toBe('0.062'); // half to even
    expect(serializeItem({ value: new Decimal(0.1875), params: new Map() })).toBe('0.188');
    expect(serializeItem({ value: new Decimal(-0.0625), params: new Map() })).toBe('-0.062');
  });

  it('keeps the last of a repeated key, as RFC 8941 says, and refuses it when strict', () => {
    const members = 'sig1=("a"), sig1=("b")';
    const params = 'sig1=("a");created=1;created=2';
    expect((parseDictionary(members).get('sig1') as InnerList).items[0]?.value).toBe('b');
    expect((parseDictionary(params).get('sig1') as InnerList).params.get('created')).toBe(2);
    expect(() => parseDictionary(members, { strict: true })).toThrow(StructuredFieldError);
    expect(() => parseDictionary(params, { strict: true })).toThrow(StructuredFieldError);
    expect(() => parseDictionary('sig1=("a";req;req)', { strict: true })).toThrow(StructuredFieldError);
  });

  it.each([
    ['a trailing comma', 'a=1,'],
    ['an empty member', 'a=1,,b=2'],
    ['members without a comma', 'a=1 b=2'],
    ['an uppercase key', 'A=1'],
    ['a key starting with a digit', '1a=1'],
    ['a decimal of 4 fraction digits', 'a=1.5555'],
    ['a decimal of 13 whole digits', 'a=1234567890123.5'],
    ['a decimal ending in its point', 'a=1.'],
    ['an integer of 16 digits', 'a=1234567890123456'],
    ['a lone minus', 'a=-'],
    ['an unterminated string', 'a="open'],
    ['an escape other than \\" and \\\\', 'a="new\\nline"'],
    ['a control character in a string', 'a="tab\there"'],
    ['non-ASCII in a string', 'a="کد"'],
    ['non-ASCII outside a string', 'a=1, ب=2'],
    ['a byte sequence with a non-base64 character', 'a=:YQ-=:'],
    ['a byte sequence with padding in the middle', 'a=:YQ==YQ==:'],
    ['a byte sequence of an impossible length', 'a=:YWJjZ:'],
    ['an unterminated byte sequence', 'a=:YQ=='],
    ['a boolean other than ?0 and ?1', 'a=?2'],
    ['an unterminated inner list', 'a=("x" "y"'],
    ['inner list items separated by commas', 'a=("x","y")'],
    ['an item of unknown type', 'a=#x'],
    ['a parameter without a key', 'a=1;'],
    ['a parameter with an uppercase key', 'a=1;P=2'],
    ['text after the value', 'a=1)'],
  ])('refuses %s', (_case, field) => {
    expect(() => parseDictionary(field)).toThrow(StructuredFieldError);
  });

  it('refuses to serialize what is not a structured field', () => {
    const item = (value: Item['value']): Item => ({ value, params: new Map() });
    expect(() => serializeItem(item('line\nbreak'))).toThrow(StructuredFieldError);
    expect(() => serializeItem(item('کد'))).toThrow(StructuredFieldError);
    expect(() => serializeItem(item(1.5))).toThrow(StructuredFieldError);
    expect(() => serializeItem(item(1e15))).toThrow(StructuredFieldError);
    expect(() => serializeItem(item(new Decimal(1e12)))).toThrow(StructuredFieldError);
    expect(() => serializeInnerList({ items: [], params: new Map([['Bad', 1]]) })).toThrow(StructuredFieldError);
    expect(() => serializeDictionary(new Map([['x y', item(1)]]))).toThrow(StructuredFieldError);
    expect(() => new Token('1abc')).toThrow(StructuredFieldError);
  });
});
