/**
 * `npm run audit:verify`: walks the audit log of the database at LIBSQL_URL (docs/upstream.md),
 * every writer's chain from its first row, checking each row's hash and its link to the row before.
 * Prints how many rows it checked; when a chain is broken, names the first broken row and exits with 1.
 */

import { verifyAuditChain } from '../src/store/audit.ts';
import { openDb } from '../src/store/db.ts';

const REASONS = {
  edited: 'its fields no longer match its hash (edited)',
  'broken-link': 'it does not point at the row before it (that row was edited or replaced)',
  gap: 'the row before it is missing (removed)',
} as const;

async function main(): Promise<number> {
  const url = process.env.LIBSQL_URL;
  if (!url) throw new Error('set LIBSQL_URL (and LIBSQL_AUTH_TOKEN for Turso) to the database to check');
  const db = openDb(url, process.env.LIBSQL_AUTH_TOKEN || undefined);
  try {
    const check = await verifyAuditChain({ db });
    if (check.ok) {
      console.log(`audit log intact: ${check.rows} row(s) in ${check.writers} chain(s) checked`);
      return 0;
    }
    console.log(`audit log BROKEN at row ${check.seq} of writer ${check.writer}: ${REASONS[check.reason]}`);
    console.log(`${check.rows} row(s) before it checked and intact`);
    return 1;
  } finally {
    db.$client.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  },
);
