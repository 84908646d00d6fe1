/**
 * The rules every address and secret in the settings follows. An address that carries credentials
 * or personal data travels over TLS (`https:`, or `libsql:` unless `?tls=0`), or stays on this
 * machine (loopback); a deployment whose database or bus sits on a private network without TLS
 * names those hosts in PLAIN_HTTP_HOSTS, and the start-up log says so. A webhook's secret path is
 * its only authority: at least 32 characters, and two at once while one is rotated. Nothing that
 * carries a credential follows a redirect.
 */
import * as v from 'valibot';
import { ConfigError } from './errors.ts';
import type { EnvVars } from './types.ts';

/** Comma-separated host names an operator lets Pishkhan reach without TLS (a private network). */
export const PLAIN_HTTP_HOSTS = 'PLAIN_HTTP_HOSTS';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|::1|::ffff:127(?:\.\d{1,3}){3})$/i;

/** A host on this machine: localhost, 127.0.0.0/8 or ::1 (also as a URL writes it, in brackets). */
export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host.replace(/^\[(.*)\]$/, '$1'));
}

/** How an address travels: over TLS, on this machine, or in the clear to a host the operator named. */
export type Transport = 'tls' | 'loopback' | 'plain';

/**
 * @param variable the setting's name, for the error
 * @throws ConfigError naming `variable` when `url` would travel in the clear to a host nobody
 *   allowed, or is not an address of a scheme Pishkhan speaks
 */
export function transportOf(env: EnvVars, variable: string, url: string): Transport {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError([variable]);
  }
  const plainLibsql = parsed.protocol === 'libsql:' && parsed.searchParams.get('tls') === '0';
  if ((parsed.protocol === 'https:' || parsed.protocol === 'libsql:') && !plainLibsql) return 'tls';
  if (parsed.protocol !== 'http:' && !plainLibsql) throw new ConfigError([variable]);
  if (isLoopback(parsed.hostname)) return 'loopback';
  if (plainHosts(env).has(parsed.hostname.toLowerCase())) return 'plain';
  throw new ConfigError([variable]);
}

function plainHosts(env: EnvVars): Set<string> {
  const listed = env[PLAIN_HTTP_HOSTS];
  if (typeof listed !== 'string') return new Set();
  return new Set(
    listed
      .split(',')
      .map((host) => host.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** A 3xx: never followed by a call that carries credentials or personal data. */
export const isRedirect = (status: number) => status >= 300 && status < 400;

/** Long enough that guessing it from a webhook's 404s is out of the question. */
export const WEBHOOK_SECRET_MIN = 32;
const Secret = v.pipe(v.string(), v.minLength(WEBHOOK_SECRET_MIN));

/**
 * The secrets a messenger's webhook path accepts: `<PREFIX>_WEBHOOK_SECRET`, and while it is being
 * rotated, the one it replaces in `<PREFIX>_WEBHOOK_SECRET_PREVIOUS`.
 * @throws ConfigError naming a secret that is missing or too short
 */
export function webhookSecrets(env: EnvVars, prefix: string): string[] {
  const names = [`${prefix}_WEBHOOK_SECRET`, `${prefix}_WEBHOOK_SECRET_PREVIOUS`] as const;
  const [current, previous] = names.map((name) => env[name]);
  const wrong = [
    ...(v.is(Secret, current) ? [] : [names[0]]),
    ...(previous === undefined || previous === '' || v.is(Secret, previous) ? [] : [names[1]]),
  ];
  if (wrong.length > 0) throw new ConfigError(wrong);
  return [current as string, ...(previous ? [previous as string] : [])];
}
