/**
 * The signed link's three settings: required, checked, and named (never quoted) when wrong.
 */
import { describe, expect, it } from 'vitest';
import { localChannelVars, localClientKey } from '../../../dev/local-keys.ts';
import { readConfig } from '../../../src/config.ts';
import { ConfigError } from '../../../src/errors.ts';
import { loadGsbKeys } from '../../../src/upstream/gsb/keys.ts';

const ENV = {
  LIBSQL_URL: 'http://127.0.0.1:1',
  GSB_BASE_URL: 'https://gsb.test',
  GSB_CLIENT_ID: 'c',
  GSB_CLIENT_SECRET: 's',
  GSB_USERNAME: 'u',
  GSB_PASSWORD: 'p',
  GSB_BASIC_AUTH: 'a:b',
  PII_KEYS: JSON.stringify({ k1: 'AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=' }),
  PII_KEY_ID: 'k1',
  PII_PEPPER: 'a-pepper-of-16-chars-or-more',
  AUDIT_KEY: 'an-audit-key-of-thirty-two-characters',
  ...localChannelVars,
};

/** The variables a ConfigError names, and its message checked for the secret. */
async function refused(vars: Record<string, string | undefined>): Promise<readonly string[]> {
  try {
    const config = readConfig(vars);
    await loadGsbKeys(config.signing);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    expect(error.message).not.toContain(localClientKey.d);
    expect(error.message).not.toContain('{');
    return error.variables;
  }
  throw new Error('accepted');
}

describe('the channel settings', () => {
  it('accept the local keys', async () => {
    const { signer, responseKeys } = await loadGsbKeys(readConfig(ENV).signing);
    expect(signer.keyId).toBe('pishkhan-local-1');
    expect([...responseKeys.keys()]).toEqual(['gsb-sandbox-local-1']);
  });

  it('are required', async () => {
    const missing = { ...ENV, GSB_SIGNING_KEY: undefined, GSB_KEY_ID: undefined, GSB_RESPONSE_KEYS: '' };
    expect(await refused(missing)).toEqual(['GSB_SIGNING_KEY', 'GSB_KEY_ID', 'GSB_RESPONSE_KEYS']);
  });

  it('name a signing key that is not JSON, not an Ed25519 private JWK, or does not import', async () => {
    const key = localChannelVars.GSB_SIGNING_KEY;
    expect(await refused({ ...ENV, GSB_SIGNING_KEY: key.slice(0, -2) })).toEqual(['GSB_SIGNING_KEY']);
    const publicOnly = JSON.stringify({ ...localClientKey, d: undefined });
    expect(await refused({ ...ENV, GSB_SIGNING_KEY: publicOnly })).toEqual(['GSB_SIGNING_KEY']);
    const shortKey = JSON.stringify({ ...localClientKey, d: localClientKey.d.slice(4) });
    expect(await refused({ ...ENV, GSB_SIGNING_KEY: shortKey })).toEqual(['GSB_SIGNING_KEY']);
  });

  it("name a key id the channel cannot carry, or one that is not the key's own", async () => {
    expect(await refused({ ...ENV, GSB_KEY_ID: 'two words' })).toEqual(['GSB_KEY_ID']);
    expect(await refused({ ...ENV, GSB_KEY_ID: 'pishkhan-local-2' })).toEqual(['GSB_KEY_ID']);
  });

  it('name a response key set that is empty, not a set, or holds a private key', async () => {
    expect(await refused({ ...ENV, GSB_RESPONSE_KEYS: '{"keys":[]}' })).toEqual(['GSB_RESPONSE_KEYS']);
    expect(await refused({ ...ENV, GSB_RESPONSE_KEYS: JSON.stringify(localClientKey) })).toEqual(['GSB_RESPONSE_KEYS']);
    const leaked = JSON.stringify({ keys: [localClientKey] });
    expect(await refused({ ...ENV, GSB_RESPONSE_KEYS: leaked })).toEqual(['GSB_RESPONSE_KEYS']);
  });
});
