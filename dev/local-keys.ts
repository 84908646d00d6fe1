/**
 * The signed link's fixed key pairs for the local stack and the tests, made once with
 * `npm run keys`: for the bus and for the municipality, one for the client (the worker signs its
 * requests with it) and one for the sandbox (it signs its answers with it). The private keys are
 * published here on purpose and guard nothing: they are for local use only, and no deployment may
 * trust them.
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

/** Our key towards the municipality: PROVIDER_MUNICIPALITY_SIGNING_KEY, trusted by its sandbox. */
export const localMunicipalityClientKey: Ed25519PrivateJwk = {
  kty: 'OKP',
  crv: 'Ed25519',
  x: 'bwzpKkjPnxiRJl4fuTJv-e1eCvU3SEgVtvmK4IW6BfY',
  kid: 'pishkhan-municipality-local-1',
  use: 'sig',
  d: 'QjEda4MxQb1S8x3bMR_kHWGJeoSgy9OP5PgcovYeCcI',
};

/** The municipality sandbox's answer key, in PROVIDER_MUNICIPALITY_RESPONSE_KEYS for the client. */
export const localMunicipalitySandboxKey: Ed25519PrivateJwk = {
  kty: 'OKP',
  crv: 'Ed25519',
  x: 'v8qJnHBqYUkhm3uFxir9yM5_zqJQHLbXWNyG1T32ST4',
  kid: 'municipality-sandbox-local-1',
  use: 'sig',
  d: '9ui7YNFD1rdw8m9gKqK1oyIqQCjZhw-KYlEEcrlMTjU',
};

/** A private JWK's public half, alone in a JWK set: what the other side is given. */
function publicSet({ d: _private, ...publicJwk }: Ed25519PrivateJwk): string {
  return JSON.stringify({ keys: [publicJwk] });
}

/**
 * A signed link's keys as each side is given them: the worker's three variables under `prefix`
 * (its signing key, that key's id, the answer keys it trusts) and the sandbox's key options (it
 * trusts the client's key and signs with its own).
 */
function signedLink<P extends string>(prefix: P, client: Ed25519PrivateJwk, sandbox: Ed25519PrivateJwk) {
  const vars = {
    [`${prefix}_SIGNING_KEY`]: JSON.stringify(client),
    [`${prefix}_KEY_ID`]: client.kid,
    [`${prefix}_RESPONSE_KEYS`]: publicSet(sandbox),
  } as Record<`${P}_${'SIGNING_KEY' | 'KEY_ID' | 'RESPONSE_KEYS'}`, string>;
  return { vars, sandbox: { trustedKeys: publicSet(client), signingKey: JSON.stringify(sandbox) } };
}

const gsbLink = signedLink('GSB', localClientKey, localSandboxKey);
const municipalityLink = signedLink('PROVIDER_MUNICIPALITY', localMunicipalityClientKey, localMunicipalitySandboxKey);

/** The worker's bus link variables, and the GSB sandbox's key options. */
export const localChannelVars = gsbLink.vars;
export const localSandboxKeys = gsbLink.sandbox;

/** The worker's municipality link variables, and the municipality sandbox's key options. */
export const localMunicipalityChannelVars = municipalityLink.vars;
export const localMunicipalitySandboxKeys = municipalityLink.sandbox;
