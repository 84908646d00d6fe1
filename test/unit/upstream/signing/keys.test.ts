import { describe, expect, it } from 'vitest';
import {
  generateKeyPair,
  importSigningKey,
  importVerifyKeys,
  KeyError,
} from '../../../../src/upstream/signing/keys.ts';

const message = new TextEncoder().encode('"@signature-params": ()');

describe('Ed25519 keys as JWKs', () => {
  it('generates a pair whose private JWK (a JSON secret) signs what its public JWK set verifies', async () => {
    const { privateJwk, publicJwk } = await generateKeyPair('pishkhan-2026-01');
    expect(publicJwk).toEqual({ kty: 'OKP', crv: 'Ed25519', x: privateJwk.x, kid: 'pishkhan-2026-01', use: 'sig' });
    expect(publicJwk).not.toHaveProperty('d');

    const signingKey = await importSigningKey(JSON.stringify(privateJwk));
    const keys = await importVerifyKeys(JSON.stringify({ keys: [publicJwk] }));
    const signature = await crypto.subtle.sign('Ed25519', signingKey, message);
    expect(await crypto.subtle.verify('Ed25519', keys.get('pishkhan-2026-01') as CryptoKey, signature, message)).toBe(
      true,
    );
    expect(signingKey.extractable).toBe(false);
  });

  it('refuses anything but an Ed25519 private JWK for signing, without echoing the secret', async () => {
    const { privateJwk, publicJwk } = await generateKeyPair('k');
    await expect(importSigningKey(publicJwk)).rejects.toThrow(KeyError);
    await expect(importSigningKey({ ...privateJwk, crv: 'X25519' })).rejects.toThrow(KeyError);
    await expect(importSigningKey({ kty: 'RSA', n: 'AQAB', e: 'AQAB', d: privateJwk.d })).rejects.toThrow(KeyError);
    const truncated = JSON.stringify(privateJwk).slice(0, -2);
    const error = await importSigningKey(truncated).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KeyError);
    expect(String(error)).not.toContain(privateJwk.d);
  });

  it('refuses a JWK set with a key without kid, a repeated kid, or a private key', async () => {
    const a = (await generateKeyPair('a')).publicJwk;
    const { kid: _kid, ...anonymous } = a;
    await expect(importVerifyKeys({ keys: [anonymous] })).rejects.toThrow(KeyError);
    await expect(importVerifyKeys({ keys: [a, { ...a }] })).rejects.toThrow(/key id a appears twice/);
    await expect(importVerifyKeys({ keys: [(await generateKeyPair('p')).privateJwk] })).rejects.toThrow(KeyError);
    await expect(importVerifyKeys('[]')).rejects.toThrow(KeyError);
    expect((await importVerifyKeys({ keys: [] })).size).toBe(0);
  });
});
