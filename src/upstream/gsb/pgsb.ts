/**
 * The bus's own part of a call (docs/bus.md#call-shape): the PGSB envelope. Each attempt carries the
 * cached OAuth2 token as `Authorization: Bearer`, the client's `basicAuthorization`, the service's
 * `pid`, and the body `{requestId, ...fields}` where requestId is the logical call's idempotency
 * key; the answer is `{requestId, status: "OK", result}` and must name the same requestId.
 */
import type { GsbSettings } from '../../config.ts';
import { utf8ToBase64 } from '../../crypto/base64.ts';
import type { UpstreamCall } from '../../types.ts';
import { unwrapEnvelope } from '../envelope.ts';
import type { Provider } from '../provider.ts';
import { SignedClient, type SignedClientOptions } from '../signed-client.ts';
import { TokenCache } from './token.ts';

export class PgsbProvider implements Provider {
  private readonly tokens: TokenCache;

  constructor(
    private readonly settings: GsbSettings,
    fetcher: typeof fetch,
    now: () => number,
  ) {
    this.tokens = new TokenCache(settings, fetcher, now);
  }

  async prepare(call: UpstreamCall, idempotencyKey: string, timeoutMs: number) {
    const token = await this.tokens.get(call.service, timeoutMs);
    return {
      url: `${this.settings.baseUrl}/api/client/apim/v1/${call.operation}`,
      headers: [
        ['authorization', `Bearer ${token}`],
        ['basicauthorization', `Basic ${utf8ToBase64(this.settings.basicAuth)}`],
        ['pid', call.pid],
      ] satisfies [string, string][],
      body: { requestId: idempotencyKey, ...call.body },
    };
  }

  unwrap(json: unknown, idempotencyKey: string) {
    return unwrapEnvelope(json, idempotencyKey);
  }

  refresh(): void {
    this.tokens.invalidate();
  }
}

/** The bus's client: the signed client speaking PGSB. */
export function gsbClient(settings: GsbSettings, options: SignedClientOptions): SignedClient {
  const provider = new PgsbProvider(settings, options.fetcher ?? fetch, options.now ?? Date.now);
  return new SignedClient(provider, options);
}
