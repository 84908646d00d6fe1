import { describe, expect, it } from 'vitest';
import { toBase64 } from '../../../src/crypto/base64.ts';
import { createSealer, SealError } from '../../../src/crypto/seal.ts';

const key = (fill: number) => toBase64(new Uint8Array(32).fill(fill));

describe('sealing personal data at rest', () => {
  it('opens what it sealed, and the sealed form names its key and hides the text', async () => {
    const sealer = await createSealer({ k1: key(1) }, 'k1');
    const sealed = await sealer.seal('کد ملی ۰۴۹۹۳۷۰۸۹۹', 'inbox:gap:1');
    expect(sealed.startsWith('k1.')).toBe(true);
    expect(sealed).not.toContain('0499370899');
    expect(await sealer.open(sealed, 'inbox:gap:1')).toBe('کد ملی ۰۴۹۹۳۷۰۸۹۹');
  });

  it('seals the same text differently each time (a fresh IV)', async () => {
    const sealer = await createSealer({ k1: key(1) }, 'k1');
    expect(await sealer.seal('x', 'c')).not.toBe(await sealer.seal('x', 'c'));
  });

  it('keeps opening values of a rotated-out key while sealing new ones with the current key', async () => {
    const before = await createSealer({ k1: key(1) }, 'k1');
    const old = await before.seal('old', 'c');
    const after = await createSealer({ k1: key(1), k2: key(2) }, 'k2');
    expect(await after.open(old, 'c')).toBe('old');
    expect((await after.seal('new', 'c')).startsWith('k2.')).toBe(true);
    // Only while another key is kept is there anything to reseal.
    expect([before.rotating, after.rotating]).toEqual([false, true]);
  });

  it('refuses a value moved to another context, tampered with, or sealed with an unknown key', async () => {
    const sealer = await createSealer({ k1: key(1) }, 'k1');
    const sealed = await sealer.seal('x', 'inbox:gap:1');
    await expect(sealer.open(sealed, 'inbox:gap:2')).rejects.toThrow(SealError);
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}A`;
    await expect(sealer.open(tampered, 'inbox:gap:1')).rejects.toThrow(SealError);
    const other = await createSealer({ k9: key(9) }, 'k9');
    await expect(other.open(sealed, 'inbox:gap:1')).rejects.toThrow(/no key k1/);
  });

  it('refuses keys of the wrong size and a current key id that is not among the keys', async () => {
    await expect(createSealer({ k1: toBase64(new Uint8Array(16)) }, 'k1')).rejects.toThrow(SealError);
    await expect(createSealer({ k1: key(1) }, 'k2')).rejects.toThrow(SealError);
  });
});
