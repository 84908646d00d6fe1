/**
 * The signed link's fixed key pairs for the local stack and the tests, made once with
 * `npm run keys`: one for the client (the worker signs its requests with it) and one for the GSB
 * sandbox (it signs its answers with it). The private keys are published here on purpose and
 * guard nothing: they are for local use only, and no deployment may trust them.
 */
import type { Ed25519PrivateJwk } from '../src/upstream/signing/keys.ts';

/** The client's key: GSB_SIGNING_KEY under GSB_KEY_ID, trusted by the sandbox. */
export const localClientKey: Ed25519PrivateJwk = {
  kty: 'OKP',
  crv: 'Ed25519',
  x: 'dcssTC-6cQGnaGqtQazIRepKzLWQR37MZMPLxOEPJK0',
  kid: 'pishkhan-local-1',
  use: 'sig',
  d: '5M7SgjeC6gjCvoBcHQ7dCKSWCbuC4ahB3HBFsUrzSgI',
};

/** The sandbox's answer key: SANDBOX_SIGNING_KEY, and in GSB_RESPONSE_KEYS for the client. */
export const localSandboxKey: Ed25519PrivateJwk = {
  kty: 'OKP',
  crv: 'Ed25519',
  x: 'Pw6R76IxxP9J_vJUlKS13Vk6LbFIL8cZJV3yvMOLGxs',
  kid: 'gsb-sandbox-local-1',
  use: 'sig',
  d: '48ShThl4rO6LrzFcB2MjRL4H9pEYu8sgm7P3RkBDzfc',
};

/** A private JWK's public half, alone in a JWK set: what the other side is given. */
function publicSet({ d: _private, ...publicJwk }: Ed25519PrivateJwk): string {
  return JSON.stringify({ keys: [publicJwk] });
}

/** The worker's three channel variables, as the environment holds them. */
export const localChannelVars = {
  GSB_SIGNING_KEY: JSON.stringify(localClientKey),
  GSB_KEY_ID: localClientKey.kid,
  GSB_RESPONSE_KEYS: publicSet(localSandboxKey),
};

/** The sandbox's key options: it trusts the client's key and signs with its own. */
export const localSandboxKeys = {
  trustedKeys: publicSet(localClientKey),
  signingKey: JSON.stringify(localSandboxKey),
};
