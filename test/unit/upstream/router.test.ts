import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../src/errors.ts';
import type { UpstreamCall } from '../../../src/types.ts';
import type { UpstreamClient } from '../../../src/upstream/client.ts';
import { providerRouter } from '../../../src/upstream/router.ts';

const call = (service: string): UpstreamCall => ({ service, operation: 'x/y/z', pid: 'p', body: {} });

/** A client that answers with its own name, and says its one service's circuit is open. */
function named(name: string): UpstreamClient {
  return {
    call: async () => ({ kind: 'ok', result: name }),
    circuits: () => new Map([[`${name}-service`, 'open' as const]]),
  };
}

describe('the provider router', () => {
  const providerOf = (service: string) => (service === 'vehicle-toll' ? 'municipality' : 'gsb');

  it("sends each call to its service's provider", async () => {
    const router = providerRouter(
      new Map([
        ['gsb', named('gsb')],
        ['municipality', named('municipality')],
      ]),
      providerOf,
    );
    expect(await router.call(call('vehicle-toll'), 'k')).toEqual({ kind: 'ok', result: 'municipality' });
    expect(await router.call(call('postcode'), 'k')).toEqual({ kind: 'ok', result: 'gsb' });
    expect([...(router.circuits?.() ?? [])]).toEqual([
      ['gsb-service', 'open'],
      ['municipality-service', 'open'],
    ]);
  });

  it('fails a call whose provider is off, as the client fails one that cannot be made', async () => {
    const router = providerRouter(new Map([['gsb', named('gsb')]]), providerOf);
    await expect(router.call(call('vehicle-toll'), 'k')).rejects.toThrow(UpstreamError);
  });
});
