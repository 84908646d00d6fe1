/**
 * The GSB sandbox's side of the signed link: the keys it trusts and signs with, and every answer
 * signed as it leaves (docs/bus.md#answer), bound to the request it answers. A tampered answer (a
 * fault) is the honest answer with its body changed after signing, or signed by a stranger's key
 * under the sandbox's key id.
 */
import { generateKeyPair, importSigningKey, importVerifyKeys } from '../../../src/upstream/signing/keys.ts';
import { type RequestMessage, SignatureBaseError } from '../../../src/upstream/signing/message-signature.ts';
import { type SigningKey, signResponse } from '../../../src/upstream/signing/profile.ts';
import type { StoredAnswer } from './answers.ts';

/** The key settings, as the sandbox's options take them (JSON text, as in the environment, or objects). */
export interface SandboxKeySettings {
  /** SANDBOX_TRUSTED_KEYS: the client keys it accepts, a JWK set of public Ed25519 keys. */
  trustedKeys: string | object;
  /** SANDBOX_REVOKED_KEY_IDS: key ids it refuses although trusted (comma-separated, or a list). */
  revokedKeyIds?: string | readonly string[];
  /** SANDBOX_SIGNING_KEY: its answer key, a private Ed25519 JWK whose `kid` is its key id. */
  signingKey: string | object;
}

export interface SandboxKeys {
  trusted: ReadonlyMap<string, CryptoKey>;
  revoked: ReadonlySet<string>;
  signer: SigningKey;
  /** A key nobody trusts, for forged answers. */
  forger: SigningKey;
}

export type Tamper = 'body' | 'key' | null;

/** Imports the sandbox's keys. @throws TypeError naming the setting, never quoting a key */
export async function loadSandboxKeys({
  trustedKeys,
  revokedKeyIds = [],
  signingKey,
}: SandboxKeySettings): Promise<SandboxKeys> {
  const jwk: unknown = typeof signingKey === 'string' ? parseKey(signingKey) : signingKey;
  const keyId = (jwk as { kid?: unknown } | null)?.kid;
  if (typeof keyId !== 'string' || keyId === '') throw new TypeError('the sandbox signing key needs a kid');
  const revoked = typeof revokedKeyIds === 'string' ? revokedKeyIds.split(',') : revokedKeyIds;
  const stranger = await generateKeyPair(keyId);
  return {
    trusted: await importVerifyKeys(trustedKeys),
    revoked: new Set(revoked.map((id) => id.trim()).filter(Boolean)),
    signer: { key: await importSigningKey(jwk as object), keyId },
    forger: { key: await importSigningKey(stranger.privateJwk), keyId },
  };
}

/**
 * The answer as a signed Response. An answer to a request that lacks what a signature binds it to
 * (its Idempotency-Key or Content-Digest: only a request the verifier refused) goes unsigned.
 */
export async function signedAnswer(
  answer: StoredAnswer,
  request: RequestMessage,
  keys: SandboxKeys,
  { now, tamper, extra = [] }: { now: () => number; tamper: Tamper; extra?: [string, string][] },
): Promise<Response> {
  const body = new TextEncoder().encode(answer.body);
  const response = { status: answer.status, headers: [['content-type', answer.contentType]] as [string, string][] };
  let signature: [string, string][] = [];
  try {
    signature = await signResponse(response, body, request, tamper === 'key' ? keys.forger : keys.signer, { now });
  } catch (error) {
    if (!(error instanceof SignatureBaseError)) throw error;
  }
  const sent = tamper === 'body' ? tamperedBody(answer.body) : answer.body;
  return new Response(sent, { status: answer.status, headers: [...response.headers, ...signature, ...extra] });
}

/** The same answer saying something else: the kind of change a signature must catch. */
function tamperedBody(body: string): string {
  try {
    return JSON.stringify({ ...(JSON.parse(body) as object), tampered: true });
  } catch {
    return `${body} `;
  }
}

/** JSON.parse's own message may quote the text it choked on: here, a private key. */
function parseKey(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new TypeError('the sandbox signing key is not JSON');
  }
}
