/**
 * `npm run reseal`: moves every sealed value of the database at LIBSQL_URL to the current key
 * (PII_KEY_ID, among PII_KEYS), a batch at a time, with a line of progress per batch. It only ever
 * touches values that name another key, so it can be stopped and run again. Values that no key in
 * PII_KEYS opens are counted and left (processing apologises for them and starts afresh). Once it
 * reports none left, the old key can leave PII_KEYS.
 */
import { createSealer } from '../src/crypto/seal.ts';
import { openDb } from '../src/store/db.ts';
import { type ResealCursor, resealBacklog, resealBatch } from '../src/store/reseal.ts';
import { runCommand } from './command.ts';

const BATCH = 500;

async function main(): Promise<number> {
  const { LIBSQL_URL: url, LIBSQL_AUTH_TOKEN: token, PII_KEYS: keys, PII_KEY_ID: keyId } = process.env;
  if (!url || !keys || !keyId)
    throw new Error('set LIBSQL_URL (and LIBSQL_AUTH_TOKEN for Turso), PII_KEYS and PII_KEY_ID');
  const db = openDb(url, token || undefined);
  try {
    const store = { db, sealer: await createSealer(JSON.parse(keys) as Record<string, string>, keyId) };
    const total = await resealBacklog(store);
    console.log(`${total} sealed value(s) name another key than ${keyId}`);
    let resealed = 0;
    let unopenable = 0;
    let cursor: ResealCursor = {};
    do {
      const batch = await resealBatch(store, BATCH, cursor);
      resealed += batch.resealed;
      unopenable += batch.unopenable;
      cursor = batch.cursor;
      console.log(`  resealed ${resealed} of ${total}${unopenable ? `, ${unopenable} no key opens` : ''}`);
    } while (Object.keys(cursor).length > 0);
    const left = await resealBacklog(store);
    console.log(
      left === 0 ? `done: every sealed value is on ${keyId}` : `done: ${left} value(s) left that no key opens`,
    );
    return 0;
  } finally {
    db.$client.close();
  }
}

runCommand(main);
