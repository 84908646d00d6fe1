/**
 * An organisation's own API behind the signed client: the bearer provider's request and envelope,
 * and the whole call against the municipality sandbox (signed both ways, its magic inputs, forged and
 * unsigned answers refused, a wrong token refused), configured as an operator would.
 */
import { describe, expect, it } from 'vitest';
import { localMunicipalityChannelVars, localMunicipalitySandboxKeys } from '../../../dev/local-keys.ts';
import { localMunicipality } from '../../../dev/local-settings.ts';
import { createMunicipalitySandbox, MAGIC_TOLL } from '../../../dev/sandboxes/municipality/index.ts';
import { readOrganisation } from '../../../src/config.ts';
import { ConfigError, UpstreamError } from '../../../src/errors.ts';
import type { UpstreamCall } from '../../../src/types.ts';
import { loadSigningKeys } from '../../../src/upstream/keys.ts';
import { BearerProvider, organisationClient } from '../../../src/upstream/organisation.ts';
import { appFetcher } from './harness.ts';

const BASE_URL = 'http://127.0.0.1:9';
const ENV = {
  PROVIDER_MUNICIPALITY_BASE_URL: `${BASE_URL}/`,
  PROVIDER_MUNICIPALITY_TOKEN: localMunicipality.token,
  ...localMunicipalityChannelVars,
};
const tollCall = (plateNumber: string, nationalCode = '0499370899'): UpstreamCall => ({
  service: 'vehicle-toll',
  operation: 'v1/vehicle-toll',
  pid: 'pishkhan-vehicle-toll-v1',
  body: { nationalCode, mobile: '09022002580', plateNumber },
  subject: nationalCode,
});

async function client(env: Record<string, string> = ENV, sent: Request[] = []) {
  const app = createMunicipalitySandbox({ ...localMunicipality, ...localMunicipalitySandboxKeys });
  const settings = readOrganisation(env, 'municipality');
  if (!settings) throw new Error('the municipality is off');
  const keys = await loadSigningKeys(settings.signing, 'PROVIDER_MUNICIPALITY_');
  const audited: unknown[] = [];
  const signed = organisationClient(settings, {
    keys,
    fetcher: appFetcher(app, sent),
    sleep: async () => {},
    deadlineMs: 2_000,
    audit: async (attempt) => {
      audited.push(attempt);
    },
  });
  const tamper = async (fault: object) =>
    (await app.request('/_sandbox/faults', { method: 'POST', body: JSON.stringify(fault) })).status;
  return { signed, app, audited, tamper };
}

describe('the bearer provider', () => {
  it('posts the fields under the base URL with its bearer token, the requestId the idempotency key', async () => {
    const provider = new BearerProvider({ baseUrl: 'https://toll.example.ir', token: 'secret-token' });
    expect(await provider.prepare(tollCall('120234567'), 'pishkhan-k-0')).toEqual({
      url: 'https://toll.example.ir/v1/vehicle-toll',
      headers: [['authorization', 'Bearer secret-token']],
      body: { requestId: 'pishkhan-k-0', nationalCode: '0499370899', mobile: '09022002580', plateNumber: '120234567' },
    });
  });

  it('takes the result out of the envelope only when it names the call', () => {
    const provider = new BearerProvider({ baseUrl: 'https://toll.example.ir', token: 't' });
    const result = { years: [] };
    expect(provider.unwrap({ requestId: 'k', status: 'OK', result }, 'k')).toEqual({ result });
    expect(provider.unwrap({ requestId: 'other', status: 'OK', result }, 'k')).toEqual({
      refused: 'answer names another requestId',
    });
    expect(provider.unwrap({ years: [] }, 'k')).toEqual({ refused: 'answer is not the envelope' });
  });
});

describe('an organisation configured by its PROVIDER_<ID>_ variables', () => {
  it('is off without them, and names the missing ones once one is set', () => {
    expect(readOrganisation({}, 'municipality')).toBeNull();
    const partial = { PROVIDER_MUNICIPALITY_BASE_URL: 'https://toll.example.ir' };
    expect(() => readOrganisation(partial, 'municipality')).toThrow(ConfigError);
    try {
      readOrganisation(partial, 'municipality');
    } catch (error) {
      expect((error as ConfigError).variables).toEqual([
        'PROVIDER_MUNICIPALITY_TOKEN',
        'PROVIDER_MUNICIPALITY_SIGNING_KEY',
        'PROVIDER_MUNICIPALITY_KEY_ID',
        'PROVIDER_MUNICIPALITY_RESPONSE_KEYS',
      ]);
    }
  });

  it('follows the transport rule: no address in the clear to a host nobody allowed', () => {
    const plain = { ...ENV, PROVIDER_MUNICIPALITY_BASE_URL: 'http://toll.example.ir' };
    expect(() => readOrganisation(plain, 'municipality')).toThrow(/PROVIDER_MUNICIPALITY_BASE_URL/);
    const allowed = readOrganisation({ ...plain, PLAIN_HTTP_HOSTS: 'toll.example.ir' }, 'municipality');
    expect(allowed).toMatchObject({ baseUrl: 'http://toll.example.ir', plain: true });
    expect(() => readOrganisation({ ...ENV, PROVIDER_MUNICIPALITY_KEY_ID: 'another-key' }, 'municipality')).toThrow(
      /PROVIDER_MUNICIPALITY_KEY_ID/,
    );
  });
});

describe('a call to the municipality sandbox through the signed client', () => {
  it('is signed, carries the token and gets a signed answer whose ids carry the amount', async () => {
    const sent: Request[] = [];
    const { signed, audited } = await client(ENV, sent);
    const outcome = await signed.call(tollCall('120234567'), 'pishkhan-answer-0');
    expect(outcome.kind).toBe('ok');
    const { years } = (outcome as { result: { years: { year: number; amountRials: number }[] } }).result;
    expect(years.length).toBeGreaterThan(0);
    expect(sent[0]?.url).toBe(`${BASE_URL}/v1/vehicle-toll`);
    expect(sent[0]?.headers.get('authorization')).toBe(`Bearer ${localMunicipality.token}`);
    expect(sent[0]?.headers.get('signature-input')).toContain('keyid="pishkhan-municipality-local-1"');
    expect(audited).toMatchObject([{ service: 'vehicle-toll', status: 200, keyId: 'pishkhan-municipality-local-1' }]);
  });

  it('answers no debt, no record, and no answer for its magic inputs', async () => {
    const { signed } = await client();
    expect(await signed.call(tollCall(MAGIC_TOLL.debtFreePlate), 'pishkhan-free-0')).toEqual({
      kind: 'ok',
      result: { years: [] },
    });
    expect(await signed.call(tollCall('120234567', MAGIC_TOLL.noRecord), 'pishkhan-none-0')).toEqual({
      kind: 'not-found',
    });
    await expect(signed.call(tollCall(MAGIC_TOLL.failingPlate), 'pishkhan-fail-0')).rejects.toMatchObject({
      status: 500,
    });
  });

  it.each(['body', 'key', 'unsigned'])('refuses an answer tampered with (%s)', async (tamper) => {
    const { signed, tamper: inject } = await client();
    expect(await inject({ tamper, plateNumber: '120234567' })).toBe(200);
    const call = signed.call(tollCall('120234567'), `pishkhan-forged-${tamper}`);
    await expect(call).rejects.toThrow(UpstreamError);
    await expect(call).rejects.toThrow(/answer refused|not the envelope/);
  });

  it('fails the call when the municipality refuses the token, after one more try', async () => {
    const sent: Request[] = [];
    const { signed } = await client({ ...ENV, PROVIDER_MUNICIPALITY_TOKEN: 'wrong-token' }, sent);
    await expect(signed.call(tollCall('120234567'), 'pishkhan-token-0')).rejects.toMatchObject({ status: 401 });
    expect(sent).toHaveLength(2);
  });
});
