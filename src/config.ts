/**
 * The settings every request needs (the database, the bus and its signing keys, the keys for
 * personal data), read from the environment and checked with Valibot and the transport rules
 * (transport.ts). A missing or malformed one fails with its name, never with a stack trace or its value.
 */
import * as v from 'valibot';
import { ConfigError } from './errors.ts';
import { transportOf } from './transport.ts';
import type { EnvVars } from './types.ts';

const Required = v.pipe(v.string(), v.minLength(1));
/** `{"<key id>": "<base64 of 32 bytes>", ...}` */
const KeyMap = v.pipe(
  v.string(),
  v.parseJson(),
  v.record(v.pipe(v.string(), v.regex(/^[\w-]{1,32}$/)), v.pipe(v.string(), v.base64())),
  v.check((keys) => Object.keys(keys).length > 0),
);
/** The shape of a private Ed25519 JWK (importing it checks the rest, in deps.ts). */
const SigningJwk = v.pipe(
  v.string(),
  v.parseJson(),
  v.looseObject({
    kty: v.literal('OKP'),
    crv: v.literal('Ed25519'),
    x: v.string(),
    d: v.string(),
    kid: v.optional(v.string()),
  }),
);
/** `{"keys": [<public Ed25519 JWK with a kid>, ...]}` */
const JwkSet = v.pipe(v.string(), v.parseJson(), v.looseObject({ keys: v.pipe(v.array(v.unknown()), v.minLength(1)) }));
/** A key id is sent in every signature: kept to characters no structured field needs to escape. */
export const KEY_ID = /^[A-Za-z0-9._:-]{1,64}$/;

const Env = v.object({
  LIBSQL_URL: Required,
  LIBSQL_AUTH_TOKEN: v.optional(v.string()),
  GSB_BASE_URL: Required,
  GSB_CLIENT_ID: Required,
  GSB_CLIENT_SECRET: Required,
  GSB_USERNAME: Required,
  GSB_PASSWORD: Required,
  GSB_BASIC_AUTH: v.pipe(Required, v.includes(':')),
  GSB_SIGNING_KEY: SigningJwk,
  GSB_KEY_ID: v.pipe(v.string(), v.regex(KEY_ID)),
  GSB_RESPONSE_KEYS: JwkSet,
  PII_KEYS: KeyMap,
  PII_KEY_ID: Required,
  PII_PEPPER: v.pipe(v.string(), v.minLength(16)),
  // Keys the audit log's chains; never stored in the database (docs/upstream.md).
  AUDIT_KEY: v.pipe(v.string(), v.minLength(32)),
});

/** How the bus is reached: its base URL, the OAuth2 client and user, and the basicAuthorization pair. */
export interface GsbSettings {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  /** `user:pass` for the basicAuthorization header. */
  basicAuth: string;
}

/** The signing keys as configured (the JSON already parsed), imported in deps.ts (loadGsbKeys). */
export interface SigningSettings {
  signingKey: object;
  keyId: string;
  responseKeys: object;
}

export interface Config {
  db: { url: string; authToken?: string };
  gsb: GsbSettings;
  signing: SigningSettings;
  pii: { keys: Record<string, string>; keyId: string; pepper: string };
  /** The key of the audit log's MACs. */
  auditKey: string;
  /** The settings whose address is reached without TLS on a private network (PLAIN_HTTP_HOSTS). */
  plainHttp: string[];
}

/** @throws ConfigError naming every variable that is missing or malformed */
export function readConfig(env: EnvVars): Config {
  const parsed = v.safeParse(Env, env, { abortEarly: false });
  if (!parsed.success) {
    const names = parsed.issues.map((issue) => String(issue.path?.[0]?.key ?? 'environment'));
    throw new ConfigError([...new Set(names)]);
  }
  const e = parsed.output;
  if (!(e.PII_KEY_ID in e.PII_KEYS)) throw new ConfigError(['PII_KEY_ID']);
  const addresses = { LIBSQL_URL: e.LIBSQL_URL, GSB_BASE_URL: e.GSB_BASE_URL };
  const plainHttp = Object.entries(addresses)
    .filter(([name, url]) => transportOf(env, name, url) === 'plain')
    .map(([name]) => name);
  // A key printed with one id and configured under another would be refused by the bus as unknown.
  if (e.GSB_SIGNING_KEY.kid !== undefined && e.GSB_SIGNING_KEY.kid !== e.GSB_KEY_ID)
    throw new ConfigError(['GSB_KEY_ID']);
  return {
    db: { url: e.LIBSQL_URL, authToken: e.LIBSQL_AUTH_TOKEN || undefined },
    gsb: {
      baseUrl: e.GSB_BASE_URL.replace(/\/+$/, ''),
      clientId: e.GSB_CLIENT_ID,
      clientSecret: e.GSB_CLIENT_SECRET,
      username: e.GSB_USERNAME,
      password: e.GSB_PASSWORD,
      basicAuth: e.GSB_BASIC_AUTH,
    },
    signing: { signingKey: e.GSB_SIGNING_KEY, keyId: e.GSB_KEY_ID, responseKeys: e.GSB_RESPONSE_KEYS },
    pii: { keys: e.PII_KEYS, keyId: e.PII_KEY_ID, pepper: e.PII_PEPPER },
    auditKey: e.AUDIT_KEY,
    plainHttp,
  };
}
