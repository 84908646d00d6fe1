/**
 * The HTTP working group's structured-field-tests, every Dictionary case (test/vendor): what must
 * parse parses to the expected members, what must fail throws, and what parses serializes to the
 * canonical form.
 */
import { describe, expect, it } from 'vitest';
import {
  type BareItem,
  Decimal,
  isInnerList,
  type Member,
  type Parameters,
  parseDictionary,
  StructuredFieldError,
  serializeDictionary,
  Token,
} from '../../../../src/upstream/signing/structured-fields.ts';
import suite from '../../../vendor/structured-field-tests/dictionary-cases.json' with { type: 'json' };

interface SuiteCase {
  readonly name: string;
  readonly raw: readonly string[];
  readonly expected?: unknown;
  readonly canonical?: readonly string[];
  readonly must_fail?: boolean;
}

const cases = Object.entries(suite as Record<string, SuiteCase[]>).flatMap(([file, list]) =>
  list.map((testCase) => ({ ...testCase, file })),
);

// The suite's JSON shapes (its README): a Token and a Byte Sequence are tagged objects, the latter
// in base32; an Item is [value, params], an Inner List [[items], params], params [[key, value]].
const suiteValue = (value: BareItem): unknown => {
  if (value instanceof Token) return { __type: 'token', value: value.value };
  if (value instanceof Decimal) return value.value;
  if (value instanceof Uint8Array) return { __type: 'binary', value: base32(value) };
  return value;
};
const suiteParams = (params: Parameters) => [...params].map(([key, value]) => [key, suiteValue(value)]);
const suiteMember = (member: Member): unknown =>
  isInnerList(member)
    ? [member.items.map((item) => [suiteValue(item.value), suiteParams(item.params)]), suiteParams(member.params)]
    : [suiteValue(member.value), suiteParams(member.params)];

function base32(bytes: Uint8Array): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const byte of bytes) bits += byte.toString(2).padStart(8, '0');
  let output = '';
  for (let at = 0; at < bits.length; at += 5) {
    output += alphabet[Number.parseInt(bits.slice(at, at + 5).padEnd(5, '0'), 2)];
  }
  return output.padEnd(Math.ceil(output.length / 8) * 8, '=');
}

describe('the structured-field-tests Dictionary cases', () => {
  it('has all 432 of them', () => {
    expect(cases).toHaveLength(432);
  });

  // Several field lines of one field are combined with ", " (RFC 9110 §5.3).
  it.each(cases)('$file: $name', (testCase) => {
    const field = testCase.raw.join(', ');
    if (testCase.must_fail) {
      expect(() => parseDictionary(field)).toThrow(StructuredFieldError);
      return;
    }
    const parsed = parseDictionary(field);
    expect([...parsed].map(([key, member]) => [key, suiteMember(member)])).toEqual(testCase.expected);
    expect(serializeDictionary(parsed)).toBe((testCase.canonical ?? testCase.raw).join(', '));
  });
});
