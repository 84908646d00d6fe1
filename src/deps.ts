/**
 * The parts a request works with, built once per isolate (or process) for a given environment
 * and reused: opening the database client or learning a bus token on every request would cost
 * the milliseconds the webhook must not spend.
 */
import { channelFactories } from './channels/registry.ts';
import type { Channel, EnvVars } from './channels/types.ts';
import { readConfig } from './config.ts';
import { type Catalogue, catalogue } from './services/catalogue.ts';
import { type Db, openDb } from './store/db.ts';
import type { UpstreamClient } from './upstream/client.ts';
import { PgsbClient } from './upstream/pgsb-client.ts';

export interface Deps {
  db: Db;
  upstream: UpstreamClient;
  channels: ReadonlyMap<string, Channel>;
  catalogue: Catalogue;
  now: () => number;
}

// Bound, because workerd refuses a detached `fetch`.
const boundFetch: typeof fetch = (input, init) => fetch(input, init);

const channelCache = new WeakMap<EnvVars, ReadonlyMap<string, Channel>>();
const depsCache = new WeakMap<EnvVars, Deps>();

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
  }
  return channels;
}

/** @throws ConfigError when a required setting is missing */
export function depsFor(env: EnvVars): Deps {
  let deps = depsCache.get(env);
  if (!deps) {
    const config = readConfig(env);
    deps = {
      db: openDb(config.db.url, config.db.authToken),
      upstream: new PgsbClient(config.gsb, { fetcher: boundFetch }),
      channels: channelsFor(env),
      catalogue,
      now: Date.now,
    };
    depsCache.set(env, deps);
  }
  return deps;
}
