/**
 * The settings the local stack and the tests share: where it listens, and the credentials the
 * sandboxes accept and the worker is started with. They guard nothing but a developer's own machine.
 */

import { localChannelVars, localMunicipalityChannelVars } from './local-keys.ts';

/** Where every part of the local stack listens: loopback only, none of it is for the network. */
export const HOST = '127.0.0.1';

export const localGsb = {
  clientId: 'pishkhan-local',
  clientSecret: 'local-client-secret',
  username: 'pishkhan',
  password: 'local-password',
  basicAuth: 'pishkhan-basic:local-basic-password',
};

export const localGap = {
  token: 'local-gap-bot-token-0000000000000000000000000000000000000000000000',
  webhookSecret: 'local-gap-webhook-secret-0000000000000',
};

/** The Bot-API messengers: tokens in the `<bot id>:<secret>` shape their BotFathers issue. */
export const localSoroush = {
  token: '1000001:local-soroush-bot-token',
  webhookSecret: 'local-soroush-webhook-secret-000000000',
  secretToken: 'local-soroush-secret-token',
};

export const localBale = {
  token: '2000002:local-bale-bot-token',
  webhookSecret: 'local-bale-webhook-secret-000000000000',
  secretToken: 'local-bale-secret-token',
};

/**
 * Soroush's older API: a token of the ~60-character shape `from` ids have
 * (docs/messengers.md#soroush-legacy-messages).
 */
export const localSoroushLegacy = {
  token: 'local-soroush-legacy-bot-token-00000000000000000000000000000000',
};

/** The bearer token the municipality sandbox accepts. */
export const localMunicipality = { token: 'local-municipality-token' };

/** The audit log's key, for local data only. */
export const localAuditKey = 'local-audit-key-for-the-dev-stack-0000000000';

/** Keys for personal data at rest, for local data only. */
export const localPii = {
  keys: JSON.stringify({ local1: 'AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=' }),
  keyId: 'local1',
  pepper: 'local-pepper-for-keyed-hashes',
};

/**
 * The worker's environment, given the addresses of the parts it talks to. Soroush, Bale,
 * Soroush legacy and the municipality are on when their sandbox's address is given.
 */
export function workerVars(urls: {
  libsql: string;
  gsb: string;
  gap: string;
  soroush?: string;
  bale?: string;
  soroushLegacy?: string;
  municipality?: string;
}): Record<string, string> {
  return {
    LIBSQL_URL: urls.libsql,
    // The local server asks for no token; a deployed worker must have one (wrangler.toml).
    LIBSQL_AUTH_TOKEN: '',
    GSB_BASE_URL: urls.gsb,
    GSB_CLIENT_ID: localGsb.clientId,
    GSB_CLIENT_SECRET: localGsb.clientSecret,
    GSB_USERNAME: localGsb.username,
    GSB_PASSWORD: localGsb.password,
    GSB_BASIC_AUTH: localGsb.basicAuth,
    ...localChannelVars,
    PII_KEYS: localPii.keys,
    PII_KEY_ID: localPii.keyId,
    PII_PEPPER: localPii.pepper,
    AUDIT_KEY: localAuditKey,
    GAP_API_BASE: urls.gap,
    GAP_BOT_TOKEN: localGap.token,
    GAP_WEBHOOK_SECRET: localGap.webhookSecret,
    ...(urls.soroush && botApiVars('SOROUSH', localSoroush, urls.soroush)),
    ...(urls.bale && botApiVars('BALE', localBale, urls.bale)),
    ...(urls.soroushLegacy && {
      SOROUSH_LEGACY_API_BASE: urls.soroushLegacy,
      SOROUSH_LEGACY_BOT_TOKEN: localSoroushLegacy.token,
    }),
    ...(urls.municipality && {
      PROVIDER_MUNICIPALITY_BASE_URL: urls.municipality,
      PROVIDER_MUNICIPALITY_TOKEN: localMunicipality.token,
      ...localMunicipalityChannelVars,
    }),
  };
}

/** One Bot-API messenger's variables, pointing it at its sandbox. */
function botApiVars(
  prefix: string,
  settings: { token: string; webhookSecret: string; secretToken: string },
  url: string,
): Record<string, string> {
  return {
    [`${prefix}_API_BASE`]: url,
    [`${prefix}_BOT_TOKEN`]: settings.token,
    [`${prefix}_WEBHOOK_SECRET`]: settings.webhookSecret,
    [`${prefix}_SECRET_TOKEN`]: settings.secretToken,
  };
}
