/**
 * The bus's OAuth2 access token (password grant, docs/bus.md#token), cached in the isolate until a
 * little before it expires. Concurrent calls share one token request instead of each asking.
 */
import * as v from 'valibot';
import type { GsbSettings } from '../../config.ts';
import { utf8ToBase64 } from '../../crypto/base64.ts';
import { UpstreamError } from '../../errors.ts';
import { isRedirect } from '../../transport.ts';

const Token = v.object({ access_token: v.pipe(v.string(), v.minLength(1)), expires_in: v.optional(v.number(), 300) });

/** Refresh the token a little before the bus would refuse it. */
const TOKEN_MARGIN_MS = 30_000;

export class TokenCache {
  private token: { value: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;

  constructor(
    private readonly settings: GsbSettings,
    private readonly fetcher: typeof fetch,
    private readonly now: () => number,
  ) {}

  /**
   * The cached token, or a new one.
   * @throws UpstreamError when the bus refuses the credentials (retrying cannot mend that)
   * @throws TypeError when the token endpoint is unreachable or answers nonsense (worth a retry)
   */
  get(service: string, timeoutMs: number): Promise<string> {
    if (this.token && this.token.expiresAt > this.now()) return Promise.resolve(this.token.value);
    this.pending ??= this.request(service, timeoutMs).finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** Forgets the token, after the bus refused it (401). */
  invalidate(): void {
    this.token = null;
  }

  private async request(service: string, timeoutMs: number): Promise<string> {
    const { baseUrl, clientId, clientSecret, username, password } = this.settings;
    const asked = this.now();
    const response = await this.fetcher(`${baseUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${utf8ToBase64(`${clientId}:${clientSecret}`)}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'password', username, password }),
      // Never followed: another origin would be sent the client's credentials and the password.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (isRedirect(response.status)) {
      await response.body?.cancel();
      throw new UpstreamError(service, response.status, 'the token endpoint redirected: refused');
    }
    if (response.status === 400 || response.status === 401) {
      await response.body?.cancel();
      throw new UpstreamError(
        service,
        response.status,
        'token refused: check GSB_CLIENT_ID, GSB_USERNAME and their secrets',
      );
    }
    const token = v.safeParse(Token, await response.json().catch(() => null));
    if (!response.ok || !token.success) throw new TypeError('token endpoint unavailable');
    this.token = {
      value: token.output.access_token,
      expiresAt: asked + token.output.expires_in * 1000 - TOKEN_MARGIN_MS,
    };
    return this.token.value;
  }
}
