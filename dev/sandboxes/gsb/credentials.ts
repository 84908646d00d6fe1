/**
 * The PGSB credentials the GSB sandbox checks (docs/bus.md#token): the OAuth2 password grant at
 * /oauth/token, then each operation call's Bearer token and basicAuthorization header.
 */
import * as v from 'valibot';
import type { Problem } from '../../../src/upstream/signing/problems.ts';
import { sameSecret } from '../kit/guard.ts';
import { invalidFields, jsonAnswer, problemAnswer, type StoredAnswer, sandboxProblem } from './answers.ts';

export interface Credentials {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  /** 'user:pass' expected in the basicAuthorization header. */
  basicAuth: string;
}

const TOKEN_TTL_S = 3600;
const TokenForm = v.object({ grant_type: v.literal('password'), username: v.string(), password: v.string() });
const utf8Base64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));

export class CredentialCheck {
  /** Issued token → its expiry (epoch ms). */
  private readonly tokens = new Map<string, number>();
  private readonly expectedClient: string;
  private readonly expectedBasic: string;

  constructor(
    private readonly credentials: Credentials,
    private readonly now: () => number,
  ) {
    this.expectedClient = `Basic ${utf8Base64(`${credentials.clientId}:${credentials.clientSecret}`)}`;
    this.expectedBasic = `Basic ${utf8Base64(credentials.basicAuth)}`;
  }

  /** The answer to a token request: its Authorization header and its form body. */
  issue(authorization: string | null, form: string, requestId: string | null): StoredAnswer {
    const refuse = (p: Problem) => problemAnswer(p, requestId);
    if (!sameSecret(authorization ?? '', this.expectedClient)) {
      return refuse(sandboxProblem(401, 'invalid-client', 'Invalid client', 'client id or secret is wrong or missing'));
    }
    const grant = v.safeParse(TokenForm, Object.fromEntries(new URLSearchParams(form)));
    if (!grant.success) return refuse(invalidFields(grant.issues));
    const userOk = sameSecret(grant.output.username, this.credentials.username);
    if (!(sameSecret(grant.output.password, this.credentials.password) && userOk)) {
      return refuse(sandboxProblem(401, 'invalid-grant', 'Invalid grant', 'username or password is wrong'));
    }
    const now = this.now();
    for (const [t, expiry] of this.tokens) if (expiry <= now) this.tokens.delete(t);
    const token = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))).replace(/[+/=]/g, '');
    this.tokens.set(token, now + TOKEN_TTL_S * 1000);
    return jsonAnswer(200, { access_token: token, token_type: 'bearer', expires_in: TOKEN_TTL_S });
  }

  /** Why an operation call's Authorization and basicAuthorization headers are refused, or null. */
  refusal(authorization: string | null, basicAuthorization: string | null): Problem | null {
    const bearer = /^bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const expiry = bearer ? this.tokens.get(bearer) : undefined;
    if (!expiry || expiry <= this.now()) {
      return sandboxProblem(
        401,
        'invalid-token',
        'Invalid access token',
        'bearer token is missing, unknown or expired',
      );
    }
    if (!sameSecret(basicAuthorization ?? '', this.expectedBasic)) {
      const detail = 'basicAuthorization header is missing or wrong';
      return sandboxProblem(401, 'invalid-basic-authorization', 'Invalid basicAuthorization', detail);
    }
    return null;
  }
}
