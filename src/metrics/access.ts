/**
 * Who may read /metrics. With METRICS_TOKEN set, whoever presents it as a bearer token, from
 * anywhere; without it, anyone who can reach an entry listening on loopback only, and nobody when
 * it listens on another address (the counts are not for the world).
 */
import { timingSafeEqual } from '../crypto/timing-safe.ts';
import { isLoopback } from '../transport.ts';

/** `allowed`; `unauthorized` (401: a token is required); `hidden` (404: nobody may read it here). */
export type MetricsVerdict = 'allowed' | 'unauthorized' | 'hidden';

const BEARER = /^Bearer +(\S+) *$/i;

/**
 * The rule for an entry listening on `host`.
 * @returns a check of a request's Authorization header
 */
export function metricsAccess({ host, token }: { host: string; token: string | undefined }) {
  return (authorization: string | undefined): MetricsVerdict => {
    if (!token) return isLoopback(host) ? 'allowed' : 'hidden';
    const given = BEARER.exec(authorization ?? '')?.[1] ?? '';
    return timingSafeEqual(given, token) ? 'allowed' : 'unauthorized';
  };
}
