/**
 * The local stack on 127.0.0.1, as much of it as the caller asks for: a libSQL server (migrated at
 * start), the GSB sandbox, the municipality's sandbox, a sandbox per messenger (Gap with its chat console, Soroush Plus, Bale,
 * Soroush's legacy stream) and the worker under `wrangler dev`, wired to them all. `npm run dev`
 * starts every part on fixed ports; the tests and the benchmark start the parts they need on free
 * ones, and run the app themselves with the worker variables the stack gives them.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bale } from '../src/channels/bale.ts';
import { soroush } from '../src/channels/soroush.ts';
import type { WorkerLog } from './dev-log.ts';
import { freePort, startDevWorker } from './dev-worker.ts';
import { startLibsqlServer } from './libsql-server/index.ts';
import { startLibsqlProcess } from './libsql-server/process.ts';
import {
  HOST,
  localBale,
  localGap,
  localGsb,
  localMunicipality,
  localSoroush,
  localSoroushLegacy,
  workerVars,
} from './local-settings.ts';
import { applyMigrations } from './migrate.ts';
import { type BotApiSandboxOptions, startBotApiSandbox } from './sandboxes/bot-api/index.ts';
import { type GapSandboxOptions, startGapSandbox } from './sandboxes/gap/index.ts';
import { type GsbSandboxServerOptions, startGsbSandbox } from './sandboxes/gsb/index.ts';
import { startMunicipalitySandbox } from './sandboxes/municipality/index.ts';
import { type SoroushLegacySandboxOptions, startSoroushLegacySandbox } from './sandboxes/soroush-legacy/index.ts';

/** Every part, in the order they start: the worker last, once what it talks to is up. */
export const PARTS = ['libsql', 'gsb', 'municipality', 'gap', 'soroush', 'bale', 'soroushLegacy', 'worker'] as const;
export type Part = (typeof PARTS)[number];

/** The parts the worker's environment cannot do without. */
const WORKER_NEEDS = ['libsql', 'gsb', 'gap'] as const;
type WorkerNeeds = (typeof WORKER_NEEDS)[number];

/** wrangler dev does not fire cron triggers: the stack ticks the sweep itself, this often. */
const SWEEP_EVERY_MS = 5_000;

/** A sandbox's options beyond where it listens, which the stack decides. */
type Settings<O> = Partial<Omit<O, 'port' | 'host'>>;
type Stop = () => Promise<void> | void;

export interface StackOptions<P extends Part> {
  parts: readonly P[];
  /** Where the database file lives; a temporary directory, removed at stop, when absent. */
  dataDir?: string;
  /** 0 or absent picks a free port. */
  ports?: Partial<Record<P, number>>;
  /** The libSQL server in a process of its own, so that its CPU is its own (the benchmark measures it). */
  libsqlProcess?: boolean;
  gsb?: Omit<Settings<GsbSandboxServerOptions>, 'libsqlUrl'> & {
    /** Nonces and idempotency records in the stack's database rather than in memory, as the bus keeps them across its restarts. */
    recordsInLibsql?: boolean;
  };
  gap?: Settings<GapSandboxOptions>;
  soroush?: Settings<BotApiSandboxOptions>;
  bale?: Settings<BotApiSandboxOptions>;
  soroushLegacy?: Settings<SoroushLegacySandboxOptions>;
  /** What of wrangler's output reaches this process's stdout and stderr (dev-log.ts); nothing when absent. */
  workerLog?: WorkerLog;
  /** Called, after every other part is stopped, if wrangler exits on its own once the stack is up. */
  onWorkerExit?: (code: number | null) => void;
}

export interface LocalStack<P extends Part> {
  urls: Record<P, string>;
  /** The process each part runs in: this one, or its own (wrangler's; the libSQL server's with `libsqlProcess`). */
  pids: Record<P, number | undefined>;
  /** The worker's environment, pointing at the parts started: there when the parts it needs are. */
  vars: WorkerNeeds extends P ? Record<string, string> : undefined;
  /** Stops every part, the last started first. Safe to call more than once. */
  stop(): Promise<void>;
}

export async function startLocalStack<P extends Part>(options: StackOptions<P>): Promise<LocalStack<P>> {
  const wanted = new Set<Part>(options.parts);
  const ports: Partial<Record<Part, number>> = options.ports ?? {};
  const urls: Partial<Record<Part, string>> = {};
  const pids: Partial<Record<Part, number | undefined>> = {};
  const stops: Stop[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const part of stops.reverse()) await Promise.resolve(part()).catch(() => {});
  };
  const started = (part: Part, server: { url: string; close(): Promise<void> }, pid = process.pid) => {
    urls[part] = server.url;
    pids[part] = pid;
    stops.push(() => server.close());
  };
  const listenAt = (part: Part) => ({ port: ports[part], host: HOST });

  checkParts(wanted, options);
  try {
    if (wanted.has('libsql')) {
      const file = join(dataDirectory(options.dataDir, stops), 'pishkhan.db');
      if (options.libsqlProcess) {
        const libsql = await startLibsqlProcess({ file, port: ports.libsql });
        started('libsql', libsql, libsql.pid);
      } else {
        started('libsql', await startLibsqlServer({ file, ...listenAt('libsql') }));
      }
      await applyMigrations(urls.libsql as string);
    }
    if (wanted.has('gsb')) {
      const { recordsInLibsql, ...settings } = options.gsb ?? {};
      const records = recordsInLibsql && { libsqlUrl: urls.libsql };
      started('gsb', await startGsbSandbox({ ...localGsb, ...records, ...settings, ...listenAt('gsb') }));
    }
    if (wanted.has('municipality')) {
      started('municipality', await startMunicipalitySandbox({ ...localMunicipality, ...listenAt('municipality') }));
    }

    // The messengers' sandboxes deliver to the worker, whose address must be known before it starts.
    const workerPort = wanted.has('worker') ? ports.worker || (await freePort()) : undefined;
    const workerUrl = workerPort && `http://${HOST}:${workerPort}`;
    const webhook = (messenger: string, secret: string) =>
      workerUrl && { webhookUrl: `${workerUrl}/webhooks/${messenger}/${secret}` };
    if (wanted.has('gap')) {
      const gap = {
        token: localGap.token,
        ...webhook('gap', localGap.webhookSecret),
        ...options.gap,
        ...listenAt('gap'),
      };
      started('gap', await startGapSandbox(gap));
    }
    // Soroush Plus and Bale: one Bot-API fake each, taking the texts the app splits its replies to.
    const botApi = (messenger: 'soroush' | 'bale', local: typeof localBale) => ({
      token: local.token,
      secretToken: local.secretToken,
      textLimit: { soroush, bale }[messenger].textLimit,
      ...webhook(messenger, local.webhookSecret),
      ...options[messenger],
      ...listenAt(messenger),
    });
    if (wanted.has('soroush')) started('soroush', await startBotApiSandbox(botApi('soroush', localSoroush)));
    if (wanted.has('bale')) started('bale', await startBotApiSandbox(botApi('bale', localBale)));
    if (wanted.has('soroushLegacy')) {
      const legacy = { token: localSoroushLegacy.token, ...options.soroushLegacy, ...listenAt('soroushLegacy') };
      started('soroushLegacy', await startSoroushLegacySandbox(legacy));
    }

    const { libsql, gsb, gap } = urls;
    const vars = libsql && gsb && gap ? workerVars({ ...urls, libsql, gsb, gap }) : undefined;
    if (workerPort && vars) {
      const worker = await startDevWorker({ port: workerPort, vars, workerLog: options.workerLog });
      started('worker', { url: worker.url, close: worker.stop }, worker.pid);
      void worker.exited.then((code) => {
        if (!stopped) void stop().then(() => options.onWorkerExit?.(code));
      });
      const ticker = setInterval(() => {
        fetch(`${worker.url}/cdn-cgi/handler/scheduled`).then(
          (r) => r.body?.cancel(),
          () => {},
        );
      }, SWEEP_EVERY_MS);
      stops.push(() => clearInterval(ticker));
    }

    return {
      urls: urls as Record<P, string>,
      pids: pids as Record<P, number | undefined>,
      vars: vars as LocalStack<P>['vars'],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Refuses, before anything starts, a set of parts one of which needs another left out. */
function checkParts(wanted: ReadonlySet<Part>, options: StackOptions<Part>): void {
  const missing = WORKER_NEEDS.filter((part) => !wanted.has(part));
  if (wanted.has('worker') && missing.length > 0) throw new Error(`the worker needs ${missing.join(', ')} beside it`);
  if (options.gsb?.recordsInLibsql && !wanted.has('libsql')) {
    throw new Error('the GSB sandbox keeps its records in libSQL only when libsql is started too');
  }
}

/** The data directory, made if need be; a temporary one is removed when the stack stops. */
function dataDirectory(dataDir: string | undefined, stops: Stop[]): string {
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    return dataDir;
  }
  const dir = mkdtempSync(join(tmpdir(), 'pishkhan-'));
  stops.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
