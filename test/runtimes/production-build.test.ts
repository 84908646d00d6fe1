/**
 * The Node entry as an operator ships it: `npm run build`, then package.json, package-lock.json,
 * dist/ and migrations/ copied into an empty folder, `npm ci --omit=dev --omit=optional` there from npm's cache
 * alone (--offline: nothing leaves this machine); there, with plain node, dist/migrate.mjs run
 * against an empty database, dist/webhooks.mjs run, and dist/node.mjs put through the suite every
 * entry passes.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createClient } from '@libsql/client/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LibsqlServer, startLibsqlServer } from '../../dev/libsql-server/index.ts';
import { root } from '../support/entry-process.ts';
import { describeEntry } from './entry-suite.ts';

const run = promisify(execFile);
/** Known before it exists, so the entry suite can be registered to run there. */
const shipped = join(tmpdir(), `pishkhan-production-${process.pid}`);
/** Building and installing on two shared cores. */
const PREPARE_DEADLINE_MS = 180_000;

interface LockEntry {
  dev?: boolean;
}

beforeAll(async () => {
  rmSync(shipped, { recursive: true, force: true });
  await run('npm', ['run', 'build'], { cwd: root });
  mkdirSync(shipped);
  for (const part of ['package.json', 'package-lock.json', 'dist', 'migrations']) {
    cpSync(join(root, part), join(shipped, part), { recursive: true });
  }
  await run('npm', ['ci', '--omit=dev', '--omit=optional', '--offline', '--no-audit', '--no-fund'], { cwd: shipped });
}, PREPARE_DEADLINE_MS);

afterAll(() => rmSync(shipped, { recursive: true, force: true }));

describe('the production install', () => {
  it('holds every production dependency, installed from the cache alone', () => {
    const { dependencies } = JSON.parse(readFileSync(join(shipped, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(dependencies)).toContain('drizzle-orm');
    for (const [name, version] of Object.entries(dependencies)) {
      const installed = JSON.parse(readFileSync(join(shipped, 'node_modules', name, 'package.json'), 'utf8'));
      expect(installed.version, name).toBe(version);
    }
  });

  it('holds no package the lockfile marks as a dev dependency', () => {
    const { packages } = JSON.parse(readFileSync(join(shipped, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, LockEntry>;
    };
    const devOnly = Object.entries(packages)
      .filter(([path, entry]) => path !== '' && entry.dev === true)
      .map(([path]) => path);
    expect(devOnly).toEqual(expect.arrayContaining(['node_modules/tsx', 'node_modules/wrangler', 'node_modules/deno']));
    expect(devOnly.filter((path) => existsSync(join(shipped, path)))).toEqual([]);
    // The database is reached over the app's own HTTP client (src/store/libsql-http.ts).
    expect(existsSync(join(shipped, 'node_modules', '@libsql', 'client'))).toBe(false);
  });
});

describe('dist/migrate.mjs', () => {
  let server: LibsqlServer;
  const migrate = (url: string) =>
    run(process.execPath, ['dist/migrate.mjs'], {
      cwd: shipped,
      env: { PATH: process.env.PATH ?? '', LIBSQL_URL: url },
    });

  beforeAll(async () => {
    server = await startLibsqlServer({ file: join(shipped, 'data', 'pishkhan.db') });
  });

  afterAll(() => server?.close());

  it('brings an empty database to the last migration, and a second run changes nothing', async () => {
    const journal = JSON.parse(readFileSync(join(root, 'migrations', 'meta', '_journal.json'), 'utf8')) as {
      entries: unknown[];
    };
    const client = createClient({ url: server.url });
    try {
      const applied = async () =>
        Number((await client.execute('select count(*) as n from __drizzle_migrations')).rows[0]?.n);
      expect((await migrate(server.url)).stdout).toContain('migrations applied');
      expect(await applied()).toBe(journal.entries.length);
      const tables = await client.execute("select name from sqlite_master where type = 'table' and name = 'inbox'");
      expect(tables.rows).toHaveLength(1);

      expect((await migrate(server.url)).stdout).toContain('migrations applied');
      expect(await applied()).toBe(journal.entries.length);
    } finally {
      client.close();
    }
  });

  it('refuses to run without LIBSQL_URL, with its usage and exit code 2', async () => {
    const refused = await migrate('').catch((error: { code: number; stderr: string }) => error);
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('usage: LIBSQL_URL=') });
  });
});

describe('dist/webhooks.mjs', () => {
  it('runs on the production dependencies alone, and names the messengers that are off', async () => {
    const shown = await run(process.execPath, ['dist/webhooks.mjs'], {
      cwd: shipped,
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(shown.stdout).toContain('bale: off (BALE_BOT_TOKEN is not set)');
    expect(shown.stdout).toContain('/webhooks/gap/<GAP_WEBHOOK_SECRET>');
  });
});

describeEntry('the built Node entry (node dist/node.mjs)', [process.execPath, 'dist/node.mjs'], shipped);
