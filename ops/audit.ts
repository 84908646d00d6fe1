/**
 * `npm run audit:verify [-- <log file>]`: walks the audit log of the database at LIBSQL_URL
 * (docs/upstream.md), every writer's chain from its first row, checking each row's MAC (with
 * AUDIT_KEY) and its link to the row before. Given the scheduled run's log (its `audit-anchor`
 * lines), it also checks that every anchored head is still there, unchanged. Prints how many rows it
 * checked; when something is broken, names the writer and the row and exits with 1.
 */
import { readFileSync } from 'node:fs';
import { createKeyedHash } from '../src/crypto/keyed-hash.ts';
import { type Anchor, type ChainBreak, parseAnchors, verifyAuditChain } from '../src/store/audit.ts';
import { openDb } from '../src/store/db.ts';
import { runCommand } from './command.ts';

const REASONS: Record<ChainBreak, string> = {
  edited: 'its fields no longer match its MAC (edited)',
  'broken-link': 'it does not point at the row before it (that row was edited or replaced)',
  gap: 'the row before it is missing (removed)',
  cut: 'an anchored head is gone (the chain was cut there, or removed whole)',
  rewritten: 'an anchored head was rewritten',
};

/** The anchors in a log: the `heads` of its `audit-anchor` lines; other lines are passed over. */
function anchorsIn(file: string): Anchor[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((line) => {
      try {
        const entry = JSON.parse(line) as { event?: unknown; heads?: unknown };
        return entry.event === 'audit-anchor' && typeof entry.heads === 'string' ? parseAnchors(entry.heads) : [];
      } catch {
        return [];
      }
    });
}

async function main(): Promise<number> {
  const { LIBSQL_URL: url, LIBSQL_AUTH_TOKEN: token, AUDIT_KEY: key } = process.env;
  if (!url || !key) throw new Error('set LIBSQL_URL (and LIBSQL_AUTH_TOKEN for Turso) and AUDIT_KEY');
  const [logFile] = process.argv.slice(2);
  const anchors = logFile ? anchorsIn(logFile) : [];
  const db = openDb(url, token || undefined);
  try {
    const check = await verifyAuditChain({ db }, await createKeyedHash(key), anchors);
    if (check.ok) {
      const anchored = logFile ? `, ${check.anchors} anchored head(s) found` : ' (no anchors given)';
      console.log(`audit log intact: ${check.rows} row(s) in ${check.writers} chain(s) checked${anchored}`);
      return 0;
    }
    console.log(`audit log BROKEN at row ${check.seq} of writer ${check.writer}: ${REASONS[check.reason]}`);
    console.log(`${check.rows} row(s) before it checked and intact`);
    return 1;
  } finally {
    db.$client.close();
  }
}

runCommand(main);
