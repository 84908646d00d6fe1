/**
 * The link's Ed25519 keys as JWKs (RFC 8037): a private JWK is the secret GSB_SIGNING_KEY, public
 * JWKs with a `kid` form the JWK sets the other side trusts (GSB_RESPONSE_KEYS for the bus's answer
 * keys, the sandbox's trusted client keys). Imported through WebCrypto, never as raw bytes, and
 * never extractable once imported.
 */
import * as v from 'valibot';

export interface Ed25519PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  kid: string;
  use: 'sig';
}

export interface Ed25519PrivateJwk extends Ed25519PublicJwk {
  d: string;
}

/** A key that cannot be used: wrong type, wrong shape, a duplicate key id. Never carries key material. */
export class KeyError extends Error {
  override readonly name = 'KeyError';
}

/** 32 bytes in unpadded base64url. */
const KeyBytes = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/));
const PublicJwk = v.object({
  kty: v.literal('OKP'),
  crv: v.literal('Ed25519'),
  x: KeyBytes,
  kid: v.optional(v.string()),
});
const PrivateJwk = v.object({ ...PublicJwk.entries, d: KeyBytes });
/** A private key in a public set would be a leaked secret: refused. */
const SetMember = v.object({ ...PublicJwk.entries, kid: v.pipe(v.string(), v.minLength(1)), d: v.optional(v.never()) });
const JwkSet = v.object({ keys: v.array(SetMember) });

/**
 * A new Ed25519 key pair: the private JWK for GSB_SIGNING_KEY and the public JWK to hand to the
 * other side (both name `kid`, the key id sent as the signature's `keyid`).
 */
export async function generateKeyPair(
  kid: string,
): Promise<{ privateJwk: Ed25519PrivateJwk; publicJwk: Ed25519PublicJwk }> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const { x, d } = (await crypto.subtle.exportKey('jwk', pair.privateKey)) as JsonWebKey;
  if (!x || !d) throw new KeyError('the runtime exported an incomplete Ed25519 key');
  const publicJwk: Ed25519PublicJwk = { kty: 'OKP', crv: 'Ed25519', x, kid, use: 'sig' };
  return { privateJwk: { ...publicJwk, d }, publicJwk };
}

/**
 * Imports a private Ed25519 JWK (a JSON string, as a secret holds it, or an object) for signing.
 * @throws KeyError when it is not one
 */
export async function importSigningKey(jwk: string | object): Promise<CryptoKey> {
  const parsed = v.safeParse(PrivateJwk, typeof jwk === 'string' ? parseJson(jwk) : jwk);
  if (!parsed.success) throw new KeyError('not an Ed25519 private JWK');
  const { x, d } = parsed.output;
  return importJwk({ kty: 'OKP', crv: 'Ed25519', x, d }, 'sign');
}

/**
 * Imports a JWK set (RFC 7517 §5, a JSON string or an object) of public Ed25519 keys, each with a
 * distinct `kid`, as key id → verification key.
 * @throws KeyError when the set or any key in it is not usable
 */
export async function importVerifyKeys(jwks: string | object): Promise<Map<string, CryptoKey>> {
  const parsed = v.safeParse(JwkSet, typeof jwks === 'string' ? parseJson(jwks) : jwks);
  if (!parsed.success) throw new KeyError('not a JWK set of Ed25519 public keys, each with a kid');
  const keys = new Map<string, CryptoKey>();
  for (const { kid, x } of parsed.output.keys) {
    if (keys.has(kid)) throw new KeyError(`key id ${kid} appears twice in the JWK set`);
    keys.set(kid, await importJwk({ kty: 'OKP', crv: 'Ed25519', x }, 'verify', kid));
  }
  return keys;
}

/** Only the fields WebCrypto needs, so a stray `key_ops` or `alg` cannot make runtimes disagree. */
async function importJwk(jwk: JsonWebKey, usage: 'sign' | 'verify', kid?: string): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey('jwk', jwk, { name: 'Ed25519' }, false, [usage]);
  } catch {
    throw new KeyError(kid ? `key ${kid} is not a usable Ed25519 key` : 'not a usable Ed25519 key');
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null; // reported as "not a JWK" by the caller, without echoing the secret
  }
}
