/**
 * `npm run size`: the worker exactly as `wrangler deploy` would upload it (a dry run with
 * wrangler.toml's own settings, minify included), its gzip size printed and held to a budget. The
 * worker is loaded on every cold start near the citizen, so its size is watched like a latency.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * Where it goes (gzip): drizzle-orm about 19 KiB, the Persian text about 8 (the bundler writes each
 * letter as a six-byte `\uXXXX` escape), hono 6, valibot 3; the rest is the messengers, the signed
 * links, the store, the engine, the catalogue and the notices.
 */
const BUDGET_KIB = 80;

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = mkdtempSync(join(tmpdir(), 'pishkhan-size-'));
try {
  // `--env ""`: the top-level (production) worker, as a plain `npm run deploy` uploads it.
  execFileSync(`${root}node_modules/.bin/wrangler`, ['deploy', '--dry-run', '--env', '', '--outdir', outdir], {
    cwd: root,
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
    stdio: 'ignore',
  });
  const bundle = readFileSync(join(outdir, 'index.js'));
  const gzipKiB = gzipSync(bundle).length / 1024;
  console.log(
    `worker bundle as deployed: ${(bundle.length / 1024).toFixed(1)} KiB, ${gzipKiB.toFixed(1)} KiB gzip ` +
      `(budget ${BUDGET_KIB} KiB)`,
  );
  if (gzipKiB > BUDGET_KIB) {
    console.error(`the worker grew past its budget of ${BUDGET_KIB} KiB gzip`);
    process.exitCode = 1;
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
