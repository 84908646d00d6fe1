import fc from 'fast-check';
import { Base64 as original } from 'js-base64';
import { describe, expect, it } from 'vitest';
import { Base64 } from '../../../src/store/js-base64.ts';

/** wrangler.toml aliases `js-base64` to src/store/js-base64.ts inside the worker: it must answer as the package does. */
describe('the js-base64 stand-in the worker is built with', () => {
  it('encodes and decodes every byte string as the package does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const encoded = Base64.fromUint8Array(bytes);
        expect(encoded).toBe(original.fromUint8Array(bytes));
        expect(Base64.toUint8Array(encoded)).toEqual(original.toUint8Array(encoded));
        expect(Base64.toUint8Array(encoded)).toEqual(bytes);
      }),
    );
  });

  it('reads base64url and unpadded text as the package does', () => {
    for (const text of ['-_8', 'YQ', 'YWI', '+/8='])
      expect(Base64.toUint8Array(text)).toEqual(original.toUint8Array(text));
  });
});
