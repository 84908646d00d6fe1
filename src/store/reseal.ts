/**
 * Moving sealed values to the current key (PII_KEY_ID), so that an old key can leave PII_KEYS:
 * every column that holds a sealed value, a bounded batch at a time, each value opened with the key
 * it names and sealed again, written only if it did not change meanwhile. `npm run reseal` runs
 * batches until none is left; the scheduled run reseals one batch each time (on Workers nobody can
 * read a secret back to run a command with it).
 */
import { sql } from 'drizzle-orm';
import { SealError } from '../crypto/seal.ts';
import { type Store, sealContext } from './db.ts';

/** The sealed columns, with what identifies a row and the sealing context of its chat. */
const SEALED = [
  { table: 'inbox', column: 'payload', key: 'id' },
  { table: 'outbox', column: 'body', key: 'id' },
  { table: 'conversations', column: 'state', key: 'rowid' },
  { table: 'identities', column: 'sealed', key: 'rowid' },
  { table: 'subscriptions', column: 'answers', key: 'rowid' },
] as const;

export interface ResealCount {
  resealed: number;
  /** Values no key in PII_KEYS opens: left as they are (processing apologises and starts afresh). */
  unopenable: number;
}

/** Where the next batch starts in each table: past the rows this one looked at (unopenable ones too). */
export type ResealCursor = Partial<Record<(typeof SEALED)[number]['table'], number>>;

/**
 * Reseals up to `limit` values of each sealed column that name another key than the current one,
 * from `cursor` on; a table that had fewer left starts from its beginning next time.
 * @returns how many were resealed, how many no key opens, and where the next batch starts
 */
export async function resealBatch(
  store: Pick<Store, 'db' | 'sealer'>,
  limit: number,
  cursor: ResealCursor = {},
): Promise<ResealCount & { cursor: ResealCursor }> {
  const count: ResealCount = { resealed: 0, unopenable: 0 };
  const next: ResealCursor = {};
  const current = `${store.sealer.currentKeyId}.%`;
  for (const { table, column, key } of SEALED) {
    const rows = await store.db.all<{ key: number; channel: string; chat_id: string; sealed: string }>(
      sql`select ${sql.raw(key)} as key, channel, chat_id, ${sql.raw(column)} as sealed from ${sql.raw(table)}
        where ${sql.raw(column)} is not null and ${sql.raw(column)} not like ${current}
          and ${sql.raw(key)} > ${cursor[table] ?? 0}
        order by ${sql.raw(key)} limit ${limit}`,
    );
    if (rows.length === limit) next[table] = rows.at(-1)?.key;
    const updates = [];
    for (const row of rows) {
      const context = sealContext(table, { channel: row.channel, chatId: row.chat_id });
      let plain: string;
      try {
        plain = await store.sealer.open(row.sealed, context);
      } catch (error) {
        if (!(error instanceof SealError)) throw error;
        count.unopenable += 1;
        continue;
      }
      const resealed = await store.sealer.seal(plain, context);
      updates.push(
        store.db.run(sql`update ${sql.raw(table)} set ${sql.raw(column)} = ${resealed}
          where ${sql.raw(key)} = ${row.key} and ${sql.raw(column)} = ${row.sealed}`),
      );
    }
    const [first, ...more] = updates;
    if (first) {
      const results = await store.db.batch([first, ...more]);
      count.resealed += results.reduce((sum, result) => sum + result.rowsAffected, 0);
    }
  }
  return { ...count, cursor: next };
}

/** How many sealed values still name another key than the current one (unopenable ones included). */
export async function resealBacklog(store: Pick<Store, 'db' | 'sealer'>): Promise<number> {
  const current = `${store.sealer.currentKeyId}.%`;
  const counts = await Promise.all(
    SEALED.map(({ table, column }) =>
      store.db.all<{ n: number }>(
        sql`select count(*) as n from ${sql.raw(table)}
          where ${sql.raw(column)} is not null and ${sql.raw(column)} not like ${current}`,
      ),
    ),
  );
  return counts.reduce((sum, [row]) => sum + (row?.n ?? 0), 0);
}
