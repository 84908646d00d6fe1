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

type Entries = v.ObjectEntries;

/**
 * The variables `schema` names, read from the environment (each as `prefix` + its key) and checked;
 * the one way every part reads its settings.
 * @throws ConfigError naming every variable that is missing or malformed, never a value
 */
export function readSettings<E extends Entries>(env: EnvVars, schema: v.ObjectSchema<E, undefined>, prefix = '') {
  const names = Object.keys(schema.entries);
  const parsed = v.safeParse(schema, Object.fromEntries(names.map((name) => [name, env[`${prefix}${name}`]])), {
    abortEarly: false,
  });
  if (parsed.success) return parsed.output;
  throw new ConfigError([...new Set(parsed.issues.map((issue) => `${prefix}${String(issue.path?.[0]?.key)}`))]);
}

/** An organisation's own API (docs/providers.md): its address, bearer token and signing keys. */
export interface OrganisationSettings {
  baseUrl: string;
  token: string;
  signing: SigningSettings;
  /** Whether its address is reached without TLS on a private network (PLAIN_HTTP_HOSTS). */
  plain: boolean;
}

const Organisation = v.object({
  BASE_URL: Required,
  TOKEN: Required,
  SIGNING_KEY: SigningJwk,
  KEY_ID: v.pipe(v.string(), v.regex(KEY_ID)),
  RESPONSE_KEYS: JwkSet,
});

/**
 * Organisation `id`'s settings, `PROVIDER_<ID>_BASE_URL`, `_TOKEN`, `_SIGNING_KEY`, `_KEY_ID` and
 * `_RESPONSE_KEYS`; null when none of them is set, and the organisation is off.
 * @throws ConfigError naming each of them that is missing or malformed once one is set
 */
export function readOrganisation(env: EnvVars, id: string): OrganisationSettings | null {
  const prefix = `PROVIDER_${id.toUpperCase()}_`;
  const names = Object.keys(Organisation.entries).map((name) => `${prefix}${name}`);
  if (names.every((name) => env[name] === undefined || env[name] === '')) return null;
  const settings = readSettings(env, Organisation, prefix);
  if (settings.SIGNING_KEY.kid !== undefined && settings.SIGNING_KEY.kid !== settings.KEY_ID)
    throw new ConfigError([`${prefix}KEY_ID`]);
  return {
    baseUrl: settings.BASE_URL.replace(/\/+$/, ''),
    token: settings.TOKEN,
    signing: { signingKey: settings.SIGNING_KEY, keyId: settings.KEY_ID, responseKeys: settings.RESPONSE_KEYS },
    plain: transportOf(env, `${prefix}BASE_URL`, settings.BASE_URL) === 'plain',
  };
}

/**
 * `SERVICES`: the ids of the services a deployment offers, comma-separated; null (all) when unset.
 * @throws ConfigError naming SERVICES when it lists an id not in `known`, or none
 */
export function readOffered(env: EnvVars, known: readonly string[]): ReadonlySet<string> | null {
  const listed = env.SERVICES;
  if (listed === undefined || listed === '') return null;
  const ids = String(listed)
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.length === 0 || ids.some((id) => !known.includes(id))) throw new ConfigError(['SERVICES']);
  return new Set(ids);
}

/** @throws ConfigError naming every variable that is missing or malformed */
export function readConfig(env: EnvVars): Config {
  const settings = readSettings(env, Env);
  if (!(settings.PII_KEY_ID in settings.PII_KEYS)) throw new ConfigError(['PII_KEY_ID']);
  const addresses = { LIBSQL_URL: settings.LIBSQL_URL, GSB_BASE_URL: settings.GSB_BASE_URL };
  const plainHttp = Object.entries(addresses)
    .filter(([name, url]) => transportOf(env, name, url) === 'plain')
    .map(([name]) => name);
  // A key printed with one id and configured under another would be refused by the bus as unknown.
  if (settings.GSB_SIGNING_KEY.kid !== undefined && settings.GSB_SIGNING_KEY.kid !== settings.GSB_KEY_ID)
    throw new ConfigError(['GSB_KEY_ID']);
  return {
    db: { url: settings.LIBSQL_URL, authToken: settings.LIBSQL_AUTH_TOKEN || undefined },
    gsb: {
      baseUrl: settings.GSB_BASE_URL.replace(/\/+$/, ''),
      clientId: settings.GSB_CLIENT_ID,
      clientSecret: settings.GSB_CLIENT_SECRET,
      username: settings.GSB_USERNAME,
      password: settings.GSB_PASSWORD,
      basicAuth: settings.GSB_BASIC_AUTH,
    },
    signing: {
      signingKey: settings.GSB_SIGNING_KEY,
      keyId: settings.GSB_KEY_ID,
      responseKeys: settings.GSB_RESPONSE_KEYS,
    },
    pii: { keys: settings.PII_KEYS, keyId: settings.PII_KEY_ID, pepper: settings.PII_PEPPER },
    auditKey: settings.AUDIT_KEY,
    plainHttp,
  };
}
