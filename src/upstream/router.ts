/**
 * The one client the pipeline calls: each call goes to the client of its service's provider (the
 * bus, or an organisation's own API), so the pipeline and the engine know no provider by name.
 */
import { UpstreamError } from '../errors.ts';
import type { UpstreamCall } from '../types.ts';
import type { CallOptions, UpstreamClient } from './client.ts';

/**
 * @param clients the providers that are on, by id
 * @param providerOf the provider of a service id (the identity check, in no declaration, is the bus's)
 */
export function providerRouter(
  clients: ReadonlyMap<string, UpstreamClient>,
  providerOf: (service: string) => string,
): UpstreamClient {
  return {
    async call(call: UpstreamCall, idempotencyKey: string, options?: CallOptions) {
      const client = clients.get(providerOf(call.service));
      if (!client) throw new UpstreamError(call.service, null, 'its provider is off');
      return client.call(call, idempotencyKey, options);
    },
    // Each service is called through one provider only: its circuit is that provider's.
    circuits: () => new Map([...clients.values()].flatMap((client) => [...(client.circuits?.() ?? [])])),
  };
}
