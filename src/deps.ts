/**
 * The parts a request works with, built once per isolate (or process) for a given environment
 * and reused: opening the database client or learning a bus token on every request would cost
 * the milliseconds the webhook must not spend.
 */
import { channelFactories } from './channels/registry.ts';
import type { Channel } from './channels/types.ts';
import { readConfig, readOffered, readOrganisation } from './config.ts';
import { createKeyedHash, type KeyedHash } from './crypto/keyed-hash.ts';
import { createSealer } from './crypto/seal.ts';
import { log } from './log.ts';
import type { Metrics } from './metrics/series.ts';
import { type Catalogue, catalogue, offeredCatalogue } from './services/catalogue.ts';
import { ORGANISATIONS } from './services/providers.ts';
import { AuditChain } from './store/audit-chain.ts';
import { openDb, type Store } from './store/db.ts';
import { PLAIN_HTTP_HOSTS, transportOf } from './transport.ts';
import type { EnvVars } from './types.ts';
import { auditTrail } from './upstream/audit-trail.ts';
import type { UpstreamClient } from './upstream/client.ts';
import { loadGsbKeys } from './upstream/gsb/keys.ts';
import { gsbClient } from './upstream/gsb/pgsb.ts';
import { loadSigningKeys } from './upstream/keys.ts';
import { organisationClient } from './upstream/organisation.ts';
import { providerRouter } from './upstream/router.ts';

export interface Deps {
  store: Store;
  /** Keyed with PII_PEPPER: for dedupe keys and lookups. */
  hash: KeyedHash;
  /** Each call goes to its service's provider. */
  upstream: UpstreamClient;
  /** The providers that are on: the bus, and each organisation whose variables are set. */
  providers: readonly string[];
  channels: ReadonlyMap<string, Channel>;
  /** The services offered: those of the providers on, among the ones SERVICES names. */
  catalogue: Catalogue;
  now: () => number;
  /** How long each of a chat holder's batches extends its lease; LEASE_TTL_MS unless a test shortens it. */
  leaseMs?: number;
  /** Where the pipeline counts what it does: only in a process that serves /metrics. */
  metrics?: Metrics;
}

// Bound, because workerd refuses a detached `fetch`.
const boundFetch: typeof fetch = (input, init) => fetch(input, init);

const channelCache = new WeakMap<EnvVars, ReadonlyMap<string, Channel>>();
const depsCache = new WeakMap<EnvVars, Promise<Deps>>();
const metricsCache = new WeakMap<EnvVars, Metrics>();

/** Has the parts built for `env` count into `metrics` (the Node and Deno hosts); before the first depsFor(env). */
export function countInto(env: EnvVars, metrics: Metrics): void {
  metricsCache.set(env, metrics);
}

/** The messengers that are on (their token set). Needs no other setting. */
export function channelsFor(env: EnvVars): ReadonlyMap<string, Channel> {
  let channels = channelCache.get(env);
  if (!channels) {
    channels = new Map(
      Object.values(channelFactories)
        .map((factory) => factory(env, boundFetch))
        .filter((channel) => channel !== null)
        .map((channel) => [channel.id, channel]),
    );
    channelCache.set(env, channels);
    // Each adapter has refused an address that would travel in the clear unallowed; say which are allowed.
    const plain = Object.entries(env)
      .filter(([name, url]) => name.endsWith('_API_BASE') && typeof url === 'string' && url !== '')
      .filter(([name, url]) => transportOf(env, name, url as string) === 'plain')
      .map(([name]) => name);
    if (plain.length > 0) log('plain-http', { settings: plain.join(','), allowedBy: PLAIN_HTTP_HOSTS });
  }
  return channels;
}

/** @throws ConfigError when a required setting is missing */
export function depsFor(env: EnvVars): Promise<Deps> {
  let deps = depsCache.get(env);
  if (!deps) {
    deps = buildDeps(env);
    depsCache.set(env, deps);
    // A failed build is not cached: the next request reads the environment again.
    deps.catch(() => depsCache.delete(env));
  }
  return deps;
}

async function buildDeps(env: EnvVars): Promise<Deps> {
  const config = readConfig(env);
  const offered = readOffered(
    env,
    catalogue.services.map((service) => service.id),
  );
  const organisations = ORGANISATIONS.flatMap((id) => {
    const settings = readOrganisation(env, id);
    return settings ? [{ id, settings }] : [];
  });
  const plainHttp = [
    ...config.plainHttp,
    ...organisations.filter((o) => o.settings.plain).map((o) => `PROVIDER_${o.id.toUpperCase()}_BASE_URL`),
  ];
  // Said once per isolate or process: an operator chose to send these in the clear.
  if (plainHttp.length > 0) log('plain-http', { settings: plainHttp.join(','), allowedBy: PLAIN_HTTP_HOSTS });
  const store = {
    db: openDb(config.db.url, config.db.authToken),
    sealer: await createSealer(config.pii.keys, config.pii.keyId),
    // This isolate's (or process's) own chain of the audit log.
    audit: new AuditChain(await createKeyedHash(config.auditKey)),
  };
  const hash = await createKeyedHash(config.pii.pepper);
  const audit = auditTrail(store.audit, hash);
  const clients = new Map<string, UpstreamClient>([
    ['gsb', gsbClient(config.gsb, { keys: await loadGsbKeys(config.signing), audit, fetcher: boundFetch })],
  ]);
  for (const { id, settings } of organisations) {
    const keys = await loadSigningKeys(settings.signing, `PROVIDER_${id.toUpperCase()}_`);
    clients.set(id, organisationClient(settings, { keys, audit, fetcher: boundFetch }));
  }
  return {
    store,
    hash,
    upstream: providerRouter(clients, (service) => catalogue.byId(service)?.upstream.provider ?? 'gsb'),
    providers: [...clients.keys()],
    channels: channelsFor(env),
    catalogue: offeredCatalogue(new Set(clients.keys()), offered),
    now: Date.now,
    metrics: metricsCache.get(env),
  };
}
