// RFC 9421 Appendix B.2.6 (Signing a Request Using ed25519), reproduced byte for byte with the
// RFC's key (Appendix B.1.4, test-key-ed25519) and its test-request (Appendix B.2). Every value here
// is copied from the RFC text (unwrapped where the RFC wraps lines per RFC 8792).
import { describe, expect, it } from 'vitest';
import { fromBase64 } from '../../../../src/crypto/base64.ts';
import {
  coveredComponents,
  type RequestMessage,
  readSignature,
  signatureBase,
  signMessage,
  verifyBase,
} from '../../../../src/upstream/signing/message-signature.ts';
import { isInnerList, parseDictionary } from '../../../../src/upstream/signing/structured-fields.ts';

/** Appendix B.1.4, the JWK form. */
const TEST_KEY_ED25519 = {
  kty: 'OKP',
  crv: 'Ed25519',
  kid: 'test-key-ed25519',
  d: 'n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU',
  x: 'JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs',
};
/** Appendix B.1.4, the PEM form of the same keys. */
const TEST_KEY_ED25519_SPKI = 'MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs=';
const TEST_KEY_ED25519_PKCS8 = 'MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF';

/** Appendix B.2, test-request (its body is `{"hello": "world"}`). */
const TEST_REQUEST: RequestMessage = {
  method: 'POST',
  url: 'https://example.com/foo?param=Value&Pet=dog',
  headers: [
    ['Host', 'example.com'],
    ['Date', 'Tue, 20 Apr 2021 02:07:55 GMT'],
    ['Content-Type', 'application/json'],
    [
      'Content-Digest',
      'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:',
    ],
    ['Content-Length', '18'],
  ],
};

const B26_SIGNATURE_BASE = [
  '"date": Tue, 20 Apr 2021 02:07:55 GMT',
  '"@method": POST',
  '"@path": /foo',
  '"@authority": example.com',
  '"content-type": application/json',
  '"content-length": 18',
  '"@signature-params": ("date" "@method" "@path" "@authority" "content-type" "content-length")' +
    ';created=1618884473;keyid="test-key-ed25519"',
].join('\n');
const B26_SIGNATURE_INPUT =
  'sig-b26=("date" "@method" "@path" "@authority" "content-type" "content-length")' +
  ';created=1618884473;keyid="test-key-ed25519"';
const B26_SIGNATURE =
  'sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:';

const { kid: _kid, ...jwk } = TEST_KEY_ED25519;
const ED25519 = { name: 'Ed25519' };
const privateKey = () => crypto.subtle.importKey('jwk', jwk, ED25519, false, ['sign']);
const publicKey = () =>
  crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, ED25519, false, ['verify']);

describe('RFC 9421 Appendix B.2.6: ed25519 over test-request', () => {
  it('uses the key of Appendix B.1.4: its JWK and PEM forms are the same key', async () => {
    const fromSpki = await crypto.subtle.importKey('spki', fromBase64(TEST_KEY_ED25519_SPKI), ED25519, true, [
      'verify',
    ]);
    const fromPkcs8 = await crypto.subtle.importKey('pkcs8', fromBase64(TEST_KEY_ED25519_PKCS8), ED25519, true, [
      'sign',
    ]);
    expect((await crypto.subtle.exportKey('jwk', fromSpki)).x).toBe(TEST_KEY_ED25519.x);
    expect((await crypto.subtle.exportKey('jwk', fromPkcs8)).d).toBe(TEST_KEY_ED25519.d);
  });

  it('builds the signature base of the RFC byte for byte from its Signature-Input', () => {
    const covered = parseDictionary(B26_SIGNATURE_INPUT).get('sig-b26');
    if (!covered || !isInnerList(covered)) throw new Error('the RFC Signature-Input did not parse');
    expect(signatureBase(covered, TEST_REQUEST)).toBe(B26_SIGNATURE_BASE);
  });

  it('signs to the RFC Signature-Input and Signature fields byte for byte', async () => {
    const covered = coveredComponents(['date', '@method', '@path', '@authority', 'content-type', 'content-length'], {
      created: 1618884473,
      keyid: 'test-key-ed25519',
    });
    const fields = await signMessage(await privateKey(), covered, TEST_REQUEST, { label: 'sig-b26' });
    expect(fields).toEqual({ signatureInput: B26_SIGNATURE_INPUT, signature: B26_SIGNATURE });
  });

  it('verifies the RFC signature, and refuses it once a covered component changes', async () => {
    const signed: RequestMessage = {
      ...TEST_REQUEST,
      headers: [...TEST_REQUEST.headers, ['Signature-Input', B26_SIGNATURE_INPUT], ['Signature', B26_SIGNATURE]],
    };
    const received = readSignature(signed, 'sig-b26');
    if (!received) throw new Error('the RFC signature was not read');
    expect(await verifyBase(await publicKey(), signatureBase(received.covered, signed), received.signature)).toBe(true);

    const moved = { ...signed, url: 'https://example.com/bar?param=Value&Pet=dog' };
    expect(await verifyBase(await publicKey(), signatureBase(received.covered, moved), received.signature)).toBe(false);
  });
});
