/**
 * `npm run keys`: its output is what the secret and the bus are given, and it works: the private
 * key imports and signs a request that a sandbox trusting the printed public key accepts.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createGsbSandbox } from '../../../dev/sandboxes/gsb/index.ts';
import { readConfig } from '../../../src/config.ts';
import { loadGsbKeys } from '../../../src/upstream/gsb/keys.ts';
import { getToken, prepare, sandboxOptions, send } from './harness.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const run = promisify(execFile);
const keysCommand = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'ops/keys.ts', ...args], { cwd: root });

describe('npm run keys', () => {
  it('prints a key pair whose private key imports and signs, and whose public key set verifies it', async () => {
    const { stdout } = await keysCommand('pishkhan-2027-01');
    const lines = stdout.split('\n');
    const [privateLine, publicLine, setLine, bulkLine] = lines.filter((line) => line.startsWith('{'));
    expect(lines[1]).toBe('pishkhan-2027-01');
    const privateJwk = JSON.parse(privateLine as string) as Record<string, string>;
    expect(privateJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: 'pishkhan-2027-01', d: expect.any(String) });
    expect(JSON.parse(publicLine as string)).not.toHaveProperty('d');
    expect(JSON.parse(setLine as string)).toEqual({ keys: [JSON.parse(publicLine as string)] });
    expect(JSON.parse(bulkLine as string)).toEqual({ GSB_SIGNING_KEY: privateLine, GSB_KEY_ID: 'pishkhan-2027-01' });

    // As the operator would configure them: the private line as GSB_SIGNING_KEY, the id as GSB_KEY_ID.
    const config = readConfig({
      LIBSQL_URL: 'http://127.0.0.1:1',
      GSB_BASE_URL: 'https://gsb.test',
      GSB_CLIENT_ID: 'c',
      GSB_CLIENT_SECRET: 's',
      GSB_USERNAME: 'u',
      GSB_PASSWORD: 'p',
      GSB_BASIC_AUTH: 'a:b',
      GSB_SIGNING_KEY: privateLine,
      GSB_KEY_ID: 'pishkhan-2027-01',
      GSB_RESPONSE_KEYS: sandboxOptions().trustedKeys as string,
      PII_KEYS: JSON.stringify({ k1: 'AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=' }),
      PII_KEY_ID: 'k1',
      PII_PEPPER: 'a-pepper-of-16-chars-or-more',
      AUDIT_KEY: 'an-audit-key-of-thirty-two-characters',
    });
    const { signer } = await loadGsbKeys(config.signing);
    const app = createGsbSandbox(sandboxOptions({ trustedKeys: setLine }));
    const response = await send(
      app,
      await prepare({ token: await getToken(app), fields: { postcode: '1193653471' }, signer }),
    );
    expect(response.status).toBe(200);
  });

  it('refuses a key id the channel cannot carry', async () => {
    await expect(keysCommand('no spaces please')).rejects.toMatchObject({ code: 1 });
  });
});
