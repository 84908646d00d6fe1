/**
 * The bus's token endpoint and its operations, answering with a redirect to another origin, are not
 * followed: the client's credentials, the password and the citizen's data stay where they were sent.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { localChannelVars } from '../../../dev/local-keys.ts';
import { UpstreamError } from '../../../src/errors.ts';
import { loadGsbKeys } from '../../../src/upstream/gsb/keys.ts';
import { gsbClient } from '../../../src/upstream/gsb/pgsb.ts';
import { TokenCache } from '../../../src/upstream/gsb/token.ts';
import { type Redirector, startRedirector } from '../support/redirector.ts';
import { CREDENTIALS } from './harness.ts';

let redirector: Redirector | undefined;
afterEach(() => redirector?.close());

const postcodeCall = {
  service: 'postcode',
  operation: 'post/gnaf/addressByPostcode',
  pid: 'pishkhan-postcode-v1',
  body: { postcode: '1193653471' },
};

/** Serves a token itself, so that only the operation is redirected. */
function tokenEndpoint(request: IncomingMessage, response: ServerResponse): boolean {
  if (request.url !== '/oauth/token') return false;
  request.resume();
  response.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"t","expires_in":300}');
  return true;
}

describe('the bus client refuses redirects', () => {
  it('does not follow the token endpoint elsewhere, and says so', async () => {
    redirector = await startRedirector();
    const tokens = new TokenCache({ ...CREDENTIALS, baseUrl: redirector.url }, fetch, Date.now);
    const error = await tokens.get('postcode', 2_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).status).toBe(307);
    expect(redirector.followed).toEqual([]);
  });

  it('does not follow an operation elsewhere: the call fails at once, nothing reaches the other origin', async () => {
    redirector = await startRedirector(tokenEndpoint);
    const keys = await loadGsbKeys({
      signingKey: JSON.parse(localChannelVars.GSB_SIGNING_KEY),
      keyId: localChannelVars.GSB_KEY_ID,
      responseKeys: JSON.parse(localChannelVars.GSB_RESPONSE_KEYS),
    });
    const client = gsbClient({ ...CREDENTIALS, baseUrl: redirector.url }, { keys, sleep: async () => {} });
    await expect(client.call(postcodeCall, 'pishkhan-redirect-0')).rejects.toThrow(/redirected/);
    expect(redirector.redirected).toBe(1);
    expect(redirector.followed).toEqual([]);
  });
});
