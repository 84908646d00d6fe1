/**
 * `npm run dev`: the local stack on fixed ports of 127.0.0.1 (each can be moved with its
 * PISHKHAN_*_PORT variable), data kept in .data/, the worker's log made readable (`LOG_FORMAT=json`
 * shows its JSON lines). Ctrl-C stops every part.
 */
import { fileURLToPath } from 'node:url';
import { rawLog, readableLog } from './dev-log.ts';
import { HOST } from './local-settings.ts';
import { PARTS, startLocalStack } from './local-stack.ts';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function main(): Promise<void> {
  const stack = await startLocalStack({
    parts: PARTS,
    dataDir: fileURLToPath(new URL('../.data', import.meta.url)),
    ports: {
      worker: port('PISHKHAN_PORT', 8787),
      libsql: port('PISHKHAN_LIBSQL_PORT', 8080),
      gsb: port('PISHKHAN_GSB_PORT', 8790),
      gap: port('PISHKHAN_GAP_PORT', 8791),
      soroush: port('PISHKHAN_SOROUSH_PORT', 8792),
      bale: port('PISHKHAN_BALE_PORT', 8793),
      soroushLegacy: port('PISHKHAN_SOROUSH_LEGACY_PORT', 8794),
      municipality: port('PISHKHAN_MUNICIPALITY_PORT', 8795),
    },
    gsb: { recordsInLibsql: true },
    workerLog: process.env.LOG_FORMAT === 'json' ? rawLog : readableLog(),
    onWorkerExit: (code) => {
      console.error(`wrangler dev stopped (exit ${code}), so the stack has stopped too.`);
      process.exit(1);
    },
  });
  const shutdown = () => void stack.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  const { urls } = stack;
  console.log(`
  Pishkhan is running on ${HOST}:
    chat console (Gap sandbox)  ${urls.gap}/     talk to the bot here
    worker (wrangler dev)       ${urls.worker}      webhooks: POST /webhooks/<messenger>/<secret>
    Soroush Plus sandbox        ${urls.soroush}      POST /_sandbox/deliver {chat_id, text}
    Bale sandbox                ${urls.bale}      POST /_sandbox/deliver {chat_id, text}
    Soroush legacy sandbox      ${urls.soroushLegacy}      POST /_sandbox/deliver {from, body}
    GSB sandbox                 ${urls.gsb}
    municipality sandbox        ${urls.municipality}      its vehicle toll API
    libSQL server               ${urls.libsql}      data in .data/pishkhan.db
  Ctrl-C stops everything.
`);
}

main().catch((error: unknown) => {
  console.error(`The local stack could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
