/**
 * The credentials the local stack and the tests share: the sandboxes accept exactly these, and
 * the worker is started with them. They guard nothing but a developer's own machine.
 */

export const localGsb = {
  clientId: 'pishkhan-local',
  clientSecret: 'local-client-secret',
  username: 'pishkhan',
  password: 'local-password',
  basicAuth: 'pishkhan-basic:local-basic-password',
};

export const localGap = {
  token: 'local-gap-bot-token-0000000000000000000000000000000000000000000000',
  webhookSecret: 'local-webhook-secret',
};

/** Keys for personal data at rest, for local data only. */
export const localPii = {
  keys: JSON.stringify({ local1: 'AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=' }),
  keyId: 'local1',
  pepper: 'local-pepper-for-keyed-hashes',
};

/** The worker's environment, given the addresses of the parts it talks to. */
export function workerVars(urls: { libsql: string; gsb: string; gap: string }): Record<string, string> {
  return {
    LIBSQL_URL: urls.libsql,
    GSB_BASE_URL: urls.gsb,
    GSB_CLIENT_ID: localGsb.clientId,
    GSB_CLIENT_SECRET: localGsb.clientSecret,
    GSB_USERNAME: localGsb.username,
    GSB_PASSWORD: localGsb.password,
    GSB_BASIC_AUTH: localGsb.basicAuth,
    PII_KEYS: localPii.keys,
    PII_KEY_ID: localPii.keyId,
    PII_PEPPER: localPii.pepper,
    GAP_API_BASE: urls.gap,
    GAP_BOT_TOKEN: localGap.token,
    GAP_WEBHOOK_SECRET: localGap.webhookSecret,
  };
}
