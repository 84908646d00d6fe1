/**
 * An organisation's own HTTPS API behind the signed client (docs/providers.md): each attempt is
 * `POST <base URL>/<operation>` with the organisation's bearer token and the body
 * `{requestId, ...fields}`; the answer is the envelope the bus uses too. The token is configured,
 * not fetched, so there is nothing to refresh: a second 401 fails the call.
 */
import type { OrganisationSettings } from '../config.ts';
import type { UpstreamCall } from '../types.ts';
import { unwrapEnvelope } from './envelope.ts';
import type { Provider } from './provider.ts';
import { SignedClient, type SignedClientOptions } from './signed-client.ts';

export class BearerProvider implements Provider {
  constructor(private readonly settings: Pick<OrganisationSettings, 'baseUrl' | 'token'>) {}

  async prepare(call: UpstreamCall, idempotencyKey: string) {
    return {
      url: `${this.settings.baseUrl}/${call.operation}`,
      headers: [['authorization', `Bearer ${this.settings.token}`]] satisfies [string, string][],
      body: { requestId: idempotencyKey, ...call.body },
    };
  }

  unwrap(json: unknown, idempotencyKey: string) {
    return unwrapEnvelope(json, idempotencyKey);
  }

  refresh(): void {}
}

/** An organisation's client: the signed client with its bearer token. */
export function organisationClient(settings: OrganisationSettings, options: SignedClientOptions): SignedClient {
  return new SignedClient(new BearerProvider(settings), options);
}
