import { describe, expect, it } from 'vitest';
import { jsonDepth, MAX_JSON_DEPTH, readJson } from '../../../src/channels/json.ts';
import { ChannelError } from '../../../src/errors.ts';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('JSON from a messenger', () => {
  it('measures nesting, strings left out', () => {
    expect(jsonDepth('{"a": [1, {"b": 2}]}')).toBe(3);
    expect(jsonDepth('{"text": "[[[[{{{{"}')).toBe(1);
    expect(jsonDepth(String.raw`{"text": "\"[[[["}`)).toBe(1);
    expect(jsonDepth('"plain"')).toBe(0);
  });

  it(`reads up to ${MAX_JSON_DEPTH} levels, and refuses a body nested deeper, or not JSON, as malformed`, () => {
    expect(readJson('bale', nested(MAX_JSON_DEPTH), 'body')).toBeDefined();
    for (const text of [nested(MAX_JSON_DEPTH + 1), nested(10_000), '{"a":', '']) {
      expect(() => readJson('bale', text, 'body')).toThrow(ChannelError);
    }
  });
});
