/**
 * The settings every request needs (the database, the bus, the keys for personal data), read
 * from the environment and checked with Valibot. A missing one fails with its name, never with a
 * stack trace or its value.
 */
import * as v from 'valibot';
import type { EnvVars } from './channels/types.ts';
import { ConfigError } from './errors.ts';
import type { GsbSettings } from './upstream/pgsb-client.ts';

const Required = v.pipe(v.string(), v.minLength(1));
const Url = v.pipe(v.string(), v.url());
/** `{"<key id>": "<base64 of 32 bytes>", ...}` */
const KeyMap = v.pipe(
  v.string(),
  v.parseJson(),
  v.record(v.pipe(v.string(), v.regex(/^[\w-]{1,32}$/)), v.pipe(v.string(), v.base64())),
  v.check((keys) => Object.keys(keys).length > 0),
);

const Env = v.object({
  LIBSQL_URL: Url,
  LIBSQL_AUTH_TOKEN: v.optional(v.string()),
  GSB_BASE_URL: Url,
  GSB_CLIENT_ID: Required,
  GSB_CLIENT_SECRET: Required,
  GSB_USERNAME: Required,
  GSB_PASSWORD: Required,
  GSB_BASIC_AUTH: v.pipe(Required, v.includes(':')),
  PII_KEYS: KeyMap,
  PII_KEY_ID: Required,
  PII_PEPPER: v.pipe(v.string(), v.minLength(16)),
});

export interface Config {
  db: { url: string; authToken?: string };
  gsb: GsbSettings;
  pii: { keys: Record<string, string>; keyId: string; pepper: string };
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
    pii: { keys: e.PII_KEYS, keyId: e.PII_KEY_ID, pepper: e.PII_PEPPER },
  };
}
