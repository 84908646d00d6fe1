import { describe, expect, it } from 'vitest';
import { contentDigest, verifyContentDigest } from '../../../../src/upstream/signing/content-digest.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

/** RFC 9530 Appendix B's representation: `{"hello": "world"}` and a line feed, 19 bytes. */
const RFC9530_BODY = bytes('{"hello": "world"}\n');
const RFC9530_SHA256 = 'sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:';
const RFC9530_SHA512 =
  'sha-512=:YMAam51Jz/jOATT6/zvHrLVgOYTGFy1d6GJiOHTohq4yP+pgk4vf2aCsyRZOtw8MjkM7iw7yZ/WkppmM44T3qg==:';
/** RFC 9421 Appendix B.2's test-request: `{"hello": "world"}` without a line feed, and its Content-Digest. */
const RFC9421_BODY = bytes('{"hello": "world"}');
const RFC9421_DIGEST =
  'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:';

describe('RFC 9530 Content-Digest', () => {
  it('reproduces RFC 9530\'s digests of its {"hello": "world"} example', async () => {
    expect(await contentDigest(RFC9530_BODY)).toBe(RFC9530_SHA256);
    expect(await contentDigest(RFC9530_BODY, 'sha-512')).toBe(RFC9530_SHA512);
    expect(await verifyContentDigest(RFC9530_SHA256, RFC9530_BODY)).toEqual({ ok: true, algorithms: ['sha-256'] });
  });

  it("accepts RFC 9421's test-request digest (sha-512) and both of a two-digest field", async () => {
    expect(await verifyContentDigest(RFC9421_DIGEST, RFC9421_BODY)).toEqual({ ok: true, algorithms: ['sha-512'] });
    const both = `${RFC9530_SHA256}, ${RFC9530_SHA512}`;
    expect(await verifyContentDigest(both, RFC9530_BODY)).toEqual({ ok: true, algorithms: ['sha-256', 'sha-512'] });
  });

  it('digests the exact bytes: one byte more is a mismatch', async () => {
    expect(await verifyContentDigest(RFC9530_SHA256, RFC9421_BODY)).toEqual({ ok: false, reason: 'mismatch' });
    expect(await verifyContentDigest(RFC9421_DIGEST, RFC9530_BODY)).toEqual({ ok: false, reason: 'mismatch' });
  });

  it('refuses a field where any accepted digest is wrong, and ignores algorithms it does not accept', async () => {
    const oneWrong = `${RFC9530_SHA256}, ${RFC9421_DIGEST}`;
    expect(await verifyContentDigest(oneWrong, RFC9530_BODY)).toEqual({ ok: false, reason: 'mismatch' });
    const withUnknown = `md5=:AAAAAAAAAAAAAAAAAAAAAA==:, ${RFC9530_SHA256}`;
    expect(await verifyContentDigest(withUnknown, RFC9530_BODY)).toEqual({ ok: true, algorithms: ['sha-256'] });
  });

  it('refuses a missing, malformed or unsupported field', async () => {
    expect(await verifyContentDigest(null, RFC9530_BODY)).toEqual({ ok: false, reason: 'missing' });
    expect(await verifyContentDigest('', RFC9530_BODY)).toEqual({ ok: false, reason: 'missing' });
    expect(await verifyContentDigest('sha-256=RK0', RFC9530_BODY)).toEqual({ ok: false, reason: 'malformed' });
    expect(await verifyContentDigest('sha-256=:RK/0', RFC9530_BODY)).toEqual({ ok: false, reason: 'malformed' });
    expect(await verifyContentDigest('sha-256=(:AA==:)', RFC9530_BODY)).toEqual({ ok: false, reason: 'malformed' });
    expect(await verifyContentDigest('sha=:AAAA:', RFC9530_BODY)).toEqual({ ok: false, reason: 'unsupported' });
  });

  it('digests an empty body too (a signed empty answer still binds its content)', async () => {
    const empty = new Uint8Array();
    expect(await verifyContentDigest(await contentDigest(empty), empty)).toEqual({ ok: true, algorithms: ['sha-256'] });
  });
});
