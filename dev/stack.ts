/**
 * `npm run dev`: the whole local stack on 127.0.0.1. A libSQL server (data in .data/, migrated
 * at start), the GSB sandbox, the Gap sandbox with its chat console, and the worker under
 * `wrangler dev`, wired to the three. Ctrl-C stops every part; the next start reuses the data.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startGapSandbox } from './gap-sandbox.ts';
import { startGsbSandbox } from './gsb-sandbox.ts';
import { startLibsqlServer } from './libsql-server.ts';
import { localGap, localGsb, workerVars } from './local-settings.ts';
import { applyMigrations } from './migrate.ts';

const HOST = '127.0.0.1';
const ports = {
  worker: Number(process.env.PISHKHAN_PORT ?? 8787),
  libsql: Number(process.env.PISHKHAN_LIBSQL_PORT ?? 8080),
  gsb: Number(process.env.PISHKHAN_GSB_PORT ?? 8790),
  gap: Number(process.env.PISHKHAN_GAP_PORT ?? 8791),
};
const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = `${root}.data`;

const stops: (() => Promise<void> | void)[] = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    for (const stop of stops.reverse()) await Promise.resolve(stop()).catch(() => {});
  }
  process.exit(code);
}

function startWorker(vars: Record<string, string>): ChildProcess {
  const args = ['dev', '--ip', HOST, '--port', String(ports.worker), '--show-interactive-dev-session=false'];
  for (const [name, value] of Object.entries(vars)) args.push('--var', `${name}:${value}`);
  const worker = spawn(`${root}node_modules/.bin/wrangler`, args, {
    cwd: root,
    env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const [from, to] of [
    [worker.stdout, process.stdout],
    [worker.stderr, process.stderr],
  ] as const) {
    createInterface({ input: from }).on('line', (line) => to.write(`${redactWebhookSecret(line)}\n`));
  }
  worker.on('exit', (code) => {
    if (!stopping) {
      console.error(`wrangler dev stopped (exit ${code}); stopping the stack.`);
      void stopAll(1);
    }
  });
  stops.push(() => {
    worker.kill('SIGTERM');
  });
  return worker;
}

/** wrangler logs each request's path, and a webhook's path holds its secret. */
function redactWebhookSecret(line: string): string {
  return line.replace(/(\/webhooks\/[^/\s]+\/)[^\s?]+/g, '$1***');
}

async function waitUntilUp(url: string, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  mkdirSync(dataDir, { recursive: true });
  const libsql = await startLibsqlServer({ file: `${dataDir}/pishkhan.db`, port: ports.libsql, host: HOST });
  stops.push(() => libsql.close());
  await applyMigrations(libsql.url);

  const gsb = await startGsbSandbox({ ...localGsb, port: ports.gsb, host: HOST });
  stops.push(() => gsb.close());

  const workerUrl = `http://${HOST}:${ports.worker}`;
  const webhookPath = `/webhooks/gap/${localGap.webhookSecret}`;
  const gap = await startGapSandbox({ token: localGap.token, port: ports.gap, host: HOST, webhookUrl: workerUrl + webhookPath });
  stops.push(() => gap.close());

  startWorker(workerVars({ libsql: libsql.url, gsb: gsb.url, gap: gap.url }));
  await waitUntilUp(`${workerUrl}/healthz`, 60_000);

  console.log(`
  Pishkhan is running on ${HOST}:
    chat console (Gap sandbox)  ${gap.url}/          talk to the bot here
    worker (wrangler dev)       ${workerUrl}      webhook: POST ${workerUrl}/webhooks/gap/<GAP_WEBHOOK_SECRET>
    GSB sandbox                 ${gsb.url}
    libSQL server               ${libsql.url}      data in .data/pishkhan.db
  Ctrl-C stops everything.
`);
}

main().catch((error: unknown) => {
  console.error(`The local stack could not start: ${error instanceof Error ? error.message : String(error)}`);
  void stopAll(1);
});
