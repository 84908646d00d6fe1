/**
 * `npm run replay`: lists the dead letters (events and replies set aside after failing every
 * attempt) of the database at LIBSQL_URL; `npm run replay -- all` or `-- event:12 reply:7` puts
 * them back in line, and the next scheduled sweep processes or sends them.
 */
import { openDb } from '../src/store/db.ts';
import { listDeadLetters, replayDeadLetters } from '../src/store/maintenance.ts';

const when = (ms: number) => new Date(ms).toISOString();

async function main(args: string[]): Promise<void> {
  const url = process.env.LIBSQL_URL;
  if (!url) throw new Error('set LIBSQL_URL (and LIBSQL_AUTH_TOKEN for Turso) to the database to look at');
  const store = { db: openDb(url, process.env.LIBSQL_AUTH_TOKEN || undefined) };
  const dead = await listDeadLetters(store);

  if (args.length === 0) {
    console.log(`${dead.events.length} dead event(s), ${dead.replies.length} dead reply(ies)`);
    for (const e of dead.events)
      console.log(`  event:${e.id}  ${e.channel}  received ${when(e.receivedAt)}  ${e.attempts} attempts`);
    for (const r of dead.replies)
      console.log(`  reply:${r.id}  ${r.channel}  ${r.kind}  queued ${when(r.createdAt)}  ${r.attempts} attempts`);
    if (dead.events.length + dead.replies.length > 0)
      console.log('replay with: npm run replay -- all   (or -- event:<id> reply:<id> ...)');
    return;
  }

  const all = args.includes('all');
  const picked = (prefix: string) =>
    args.filter((arg) => arg.startsWith(prefix)).map((arg) => Number(arg.slice(prefix.length)));
  const ids = {
    events: all ? dead.events.map((e) => e.id) : picked('event:'),
    replies: all ? dead.replies.map((r) => r.id) : picked('reply:'),
  };
  if ([...ids.events, ...ids.replies].some((id) => !Number.isInteger(id))) {
    throw new Error('name dead letters as event:<id> or reply:<id>, or say all');
  }
  const replayed = await replayDeadLetters(store, ids);
  console.log(`put back ${replayed.events} event(s) and ${replayed.replies} reply(ies); the next sweep takes them`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
