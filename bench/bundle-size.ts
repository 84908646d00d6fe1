/**
 * `npm run size`: builds the worker as `wrangler deploy` would (dry run, minified), prints the
 * gzip size of the bundle and fails when it is over the budget. The worker is loaded on every
 * cold start near the citizen, so its size is watched like a latency.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * The target is 64 KiB. drizzle-orm and the libSQL web client alone take about 40 KiB of it, and
 * with every messenger, the signed link, identity binding and the whole catalogue the worker is
 * past the target: the budget stops it growing further unnoticed. (Persian strings weigh more than
 * they look: the bundler writes each letter as a six-byte `\uXXXX` escape.)
 */
const TARGET_KIB = 64;
const BUDGET_KIB = 88;

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = mkdtempSync(join(tmpdir(), 'pishkhan-size-'));
try {
  execFileSync(`${root}node_modules/.bin/wrangler`, ['deploy', '--dry-run', '--minify', '--outdir', outdir], {
    cwd: root,
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
    stdio: 'ignore',
  });
  const bundle = readFileSync(join(outdir, 'index.js'));
  const gzipKiB = gzipSync(bundle).length / 1024;
  console.log(
    `worker bundle: ${(bundle.length / 1024).toFixed(1)} KiB minified, ${gzipKiB.toFixed(1)} KiB gzip ` +
      `(target ${TARGET_KIB} KiB, budget ${BUDGET_KIB} KiB)`,
  );
  if (gzipKiB > BUDGET_KIB) {
    console.error(`the worker grew past its budget of ${BUDGET_KIB} KiB gzip`);
    process.exitCode = 1;
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
