import { describe, expect, it } from 'vitest';
import { createKeyedHash } from '../../../src/crypto/keyed-hash.ts';

describe('keyed hashes', () => {
  it('is stable for one pepper and differs between peppers and between inputs', async () => {
    const hash = await createKeyedHash('pepper-one-0123456789');
    const other = await createKeyedHash('pepper-two-0123456789');
    expect(await hash('0499370899')).toBe(await hash('0499370899'));
    expect(await hash('0499370899')).not.toBe(await hash('0499370898'));
    expect(await hash('0499370899')).not.toBe(await other('0499370899'));
    expect(await hash('0499370899')).not.toContain('0499370899');
  });

  it('matches the HMAC-SHA-256 known answer of RFC 4231 test case 2', async () => {
    const hash = await createKeyedHash('Jefe');
    const expected = Buffer.from('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843', 'hex').toString(
      'base64url',
    );
    expect(await hash('what do ya want for nothing?')).toBe(expected);
  });
});
