import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient as createNodeClient } from '@libsql/client';
import { type Client, type Config, createClient } from '@libsql/client/web';
import { drizzle as drizzleNode } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { drizzle } from 'drizzle-orm/libsql/web';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LibsqlServer, startLibsqlServer } from '../../../dev/libsql-server/index.ts';

let dir: string;
let server: LibsqlServer;
const clients: Client[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pishkhan-libsql-'));
  server = await startLibsqlServer({ file: path.join(dir, 'db', 'test.db'), port: 0 });
});

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

afterAll(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function connect(config: Omit<Config, 'url'> = {}, url = server.url): Client {
  const client = createClient({ url, ...config });
  clients.push(client);
  return client;
}

async function count(client: Client, table: string): Promise<number> {
  const { rows } = await client.execute(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0]!.n);
}

/** A raw Hrana pipeline request, for what the clients never send. */
async function pipeline(
  body: unknown,
  url = `${server.url}/v2/pipeline`,
): Promise<{ status: number; type: string | null; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body) });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    json: (await res.json()) as Record<string, unknown>,
  };
}

describe('libSQL dev server: statements through @libsql/client/web', () => {
  it('listens on 127.0.0.1 and creates the database folder', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fs.existsSync(path.join(dir, 'db', 'test.db'))).toBe(true);
  });

  it('creates a table and returns inserted rows through RETURNING with the affected count and rowid', async () => {
    const db = connect();
    await db.execute('CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL)');
    const inserted = await db.execute({
      sql: 'INSERT INTO people (name) VALUES (?), (?) RETURNING id, name',
      args: ['Sara', 'Reza'],
    });
    expect(inserted.columns).toEqual(['id', 'name']);
    expect(inserted.rows.map((r) => [r.id, r.name])).toEqual([
      [1, 'Sara'],
      [2, 'Reza'],
    ]);
    expect(inserted.rowsAffected).toBe(2);
    expect(inserted.lastInsertRowid).toBe(2n);

    const updated = await db.execute({
      sql: 'UPDATE people SET name = :name WHERE id = :id',
      args: { name: 'Sara K', id: 1 },
    });
    expect(updated.rowsAffected).toBe(1);
    expect(updated.lastInsertRowid).toBeUndefined();
    const selected = await db.execute('SELECT name FROM people WHERE id = 1');
    expect(selected.rows[0]!.name).toBe('Sara K');
    expect(selected.rowsAffected).toBe(0);
  });

  it('round-trips 64-bit integers exactly, beyond 2^53, as bigint or string', async () => {
    const big = [2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n)];
    const db = connect({ intMode: 'bigint' });
    await db.execute('CREATE TABLE bigs (v INTEGER)');
    for (const v of big) await db.execute({ sql: 'INSERT INTO bigs (v) VALUES (?)', args: [v] });

    const asBigint = await db.execute('SELECT v, typeof(v) AS t FROM bigs ORDER BY rowid');
    expect(asBigint.rows.map((r) => r.v)).toEqual(big);
    expect(asBigint.rows.map((r) => r.t)).toEqual(['integer', 'integer', 'integer']);
    const asString = await connect({ intMode: 'string' }).execute('SELECT v FROM bigs ORDER BY rowid');
    expect(asString.rows.map((r) => r.v)).toEqual(big.map(String));
  });

  it('round-trips floats, text and blobs with their SQLite types', async () => {
    const { rows } = await connect().execute({
      sql: 'SELECT ? AS f, typeof(?) AS ft, ? AS t, ? AS b, NULL AS n',
      args: [1.5, 2, 'سلام', new Uint8Array([0, 1, 255])],
    });
    expect(rows[0]!.f).toBe(1.5);
    expect(rows[0]!.ft).toBe('real');
    expect(rows[0]!.t).toBe('سلام');
    expect(new Uint8Array(rows[0]!.b as ArrayBuffer)).toEqual(new Uint8Array([0, 1, 255]));
    expect(rows[0]!.n).toBeNull();
  });

  it("reports a unique-constraint violation with sqld's code and message", async () => {
    const db = connect();
    await db.execute('CREATE TABLE handles (handle TEXT UNIQUE)');
    await db.execute("INSERT INTO handles VALUES ('ali')");
    // sqld sends the primary SQLite code, not the extended SQLITE_CONSTRAINT_UNIQUE.
    await expect(db.execute("INSERT INTO handles VALUES ('ali')")).rejects.toMatchObject({
      code: 'SQLITE_CONSTRAINT',
      message: expect.stringContaining('UNIQUE constraint failed: handles.handle'),
    });
  });

  it('rejects what sqld rejects: several statements, no statement, unmatched arguments', async () => {
    const db = connect();
    await expect(db.execute('SELECT 1; SELECT 2')).rejects.toMatchObject({ code: 'SQL_MANY_STATEMENTS' });
    await expect(db.execute('-- only a comment')).rejects.toMatchObject({ code: 'SQL_NO_STATEMENT' });
    await expect(db.execute({ sql: 'SELECT ?, ?', args: [1] })).rejects.toMatchObject({ code: 'ARGS_INVALID' });
    await expect(db.execute({ sql: 'SELECT ?', args: [1, 2] })).rejects.toMatchObject({ code: 'ARGS_INVALID' });
    await expect(db.execute({ sql: 'SELECT ? AS a', args: { a: 1 } })).rejects.toMatchObject({ code: 'ARGS_INVALID' });
    await expect(db.execute('SELECT * FROM missing_table')).rejects.toMatchObject({ code: 'SQL_INPUT_ERROR' });
  });

  it('binds named arguments given with or without their prefix', async () => {
    const { rows } = await connect().execute({
      sql: 'SELECT :a AS a, @b AS b, $c AS c, :a AS again',
      args: { a: 1, '@b': 'two', c: null },
    });
    expect(rows[0]).toMatchObject({ a: 1, b: 'two', c: null, again: 1 });
  });

  it('runs a multi-statement script, keeping the semicolons inside a trigger body', async () => {
    const db = connect();
    await db.executeMultiple(`
      CREATE TABLE events (name TEXT);
      CREATE TABLE audit (line TEXT);
      CREATE TRIGGER events_audit AFTER INSERT ON events BEGIN
        INSERT INTO audit VALUES ('a;b');
        INSERT INTO audit VALUES (NEW.name);
      END;
      INSERT INTO events VALUES ('signup');
    `);
    const { rows } = await db.execute('SELECT line FROM audit ORDER BY rowid');
    expect(rows.map((r) => r.line)).toEqual(['a;b', 'signup']);
  });

  it('rolls back a whole write batch when one of its statements fails', async () => {
    const db = connect();
    await db.execute('CREATE TABLE ledger (ref TEXT UNIQUE)');
    await expect(
      db.batch(
        ["INSERT INTO ledger VALUES ('r1')", "INSERT INTO ledger VALUES ('r2')", "INSERT INTO ledger VALUES ('r1')"],
        'write',
      ),
    ).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' });
    expect(await count(db, 'ledger')).toBe(0);

    const results = await db.batch(["INSERT INTO ledger VALUES ('r1')", 'SELECT count(*) AS n FROM ledger'], 'write');
    expect(results[1]!.rows[0]!.n).toBe(1);
  });

  it('commits an interactive transaction spread over several requests', async () => {
    const db = connect();
    await db.execute('CREATE TABLE wallet (owner TEXT, cents INTEGER)');
    const tx = await db.transaction('write');
    await tx.execute("INSERT INTO wallet VALUES ('ali', 100)");
    await tx.execute("UPDATE wallet SET cents = cents + 50 WHERE owner = 'ali'");
    expect((await tx.execute('SELECT cents FROM wallet')).rows[0]!.cents).toBe(150);
    expect(await count(connect(), 'wallet')).toBe(0); // not visible outside before commit
    await tx.commit();
    expect((await db.execute('SELECT cents FROM wallet')).rows[0]!.cents).toBe(150);
  });

  it('rolls back an interactive transaction', async () => {
    const db = connect();
    await db.execute('CREATE TABLE drafts (body TEXT)');
    const tx = await db.transaction('write');
    await tx.execute("INSERT INTO drafts VALUES ('gone')");
    await tx.rollback();
    expect(await count(db, 'drafts')).toBe(0);
  });

  it('lets two concurrent writes succeed while no transaction is open', async () => {
    const setup = connect();
    await setup.execute('CREATE TABLE hits (n INTEGER)');
    const [a, b] = [connect(), connect()];
    await Promise.all([a.execute('INSERT INTO hits VALUES (1)'), b.execute('INSERT INTO hits VALUES (2)')]);
    expect(await count(setup, 'hits')).toBe(2);
  });

  it('fails a write with SQLITE_BUSY while another stream holds a write transaction, and accepts it after commit', async () => {
    const db = connect();
    await db.execute('CREATE TABLE seats (n INTEGER)');
    const tx = await db.transaction('write');
    await tx.execute('INSERT INTO seats VALUES (1)');

    const other = connect();
    await expect(other.execute('INSERT INTO seats VALUES (2)')).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    expect(await count(other, 'seats')).toBe(0); // reads still work, on the last committed state

    await tx.commit();
    await other.execute('INSERT INTO seats VALUES (2)');
    expect(await count(other, 'seats')).toBe(2);
  });
});

describe('libSQL dev server: drizzle over @libsql/client/web', () => {
  const notes = sqliteTable('notes', {
    id: integer('id').primaryKey({ autoIncrement: true }),
    title: text('title').notNull().unique(),
  });

  function connectDrizzle() {
    const client = connect();
    return { client, db: drizzle(client) };
  }

  beforeAll(async () => {
    const client = createClient({ url: server.url });
    await client.execute('CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL UNIQUE)');
    client.close();
  });

  it('inserts with returning and skips a duplicate with onConflictDoNothing', async () => {
    const { db } = connectDrizzle();
    const [first] = await db.insert(notes).values({ title: 'first' }).returning();
    expect(first).toEqual({ id: expect.any(Number), title: 'first' });
    const again = await db.insert(notes).values({ title: 'first' }).onConflictDoNothing().returning();
    expect(again).toEqual([]);
  });

  it('runs db.batch as one atomic unit', async () => {
    const { db } = connectDrizzle();
    const [inserted, , all] = await db.batch([
      db.insert(notes).values({ title: 'batch-a' }).returning({ title: notes.title }),
      db.insert(notes).values({ title: 'batch-a' }).onConflictDoNothing(),
      db.select({ title: notes.title }).from(notes),
    ]);
    expect(inserted).toEqual([{ title: 'batch-a' }]);
    expect(all).toContainEqual({ title: 'batch-a' });

    await expect(
      db.batch([db.insert(notes).values({ title: 'batch-b' }), db.insert(notes).values({ title: 'batch-a' })]),
    ).rejects.toThrow(/UNIQUE constraint failed/);
    expect((await db.select().from(notes)).map((n) => n.title)).not.toContain('batch-b');
  });

  it('commits db.transaction and rolls it back when the callback rolls back', async () => {
    const { db } = connectDrizzle();
    await db.transaction(async (tx) => {
      await tx.insert(notes).values({ title: 'tx-kept' });
      await tx.insert(notes).values({ title: 'tx-kept-2' });
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.insert(notes).values({ title: 'tx-dropped' });
        tx.rollback();
      }),
    ).rejects.toThrow(/Rollback/);
    const titles = (await db.select().from(notes)).map((n) => n.title);
    expect(titles).toEqual(expect.arrayContaining(['tx-kept', 'tx-kept-2']));
    expect(titles).not.toContain('tx-dropped');
  });
});

describe('libSQL dev server: drizzle migrator over the Node client', () => {
  it('applies a drizzle-kit migration folder once', async () => {
    const folder = path.join(dir, 'migrations');
    fs.mkdirSync(path.join(folder, 'meta'), { recursive: true });
    fs.writeFileSync(
      path.join(folder, 'meta', '_journal.json'),
      JSON.stringify({
        version: '7',
        dialect: 'sqlite',
        entries: [{ idx: 0, version: '6', when: 1_700_000_000_000, tag: '0000_init', breakpoints: true }],
      }),
    );
    fs.writeFileSync(
      path.join(folder, '0000_init.sql'),
      'CREATE TABLE `services` (\n\t`id` integer PRIMARY KEY NOT NULL,\n\t`slug` text NOT NULL\n);\n' +
        '--> statement-breakpoint\nCREATE UNIQUE INDEX `services_slug_unique` ON `services` (`slug`);',
    );

    const client = createNodeClient({ url: server.url });
    try {
      const db = drizzleNode(client);
      await migrate(db, { migrationsFolder: folder });
      await migrate(db, { migrationsFolder: folder });
      await client.execute("INSERT INTO services (slug) VALUES ('passport')");
      await expect(client.execute("INSERT INTO services (slug) VALUES ('passport')")).rejects.toMatchObject({
        code: 'SQLITE_CONSTRAINT',
      });
      const applied = await client.execute('SELECT hash, created_at FROM __drizzle_migrations');
      expect(applied.rows).toHaveLength(1);
      expect(Number(applied.rows[0]!.created_at)).toBe(1_700_000_000_000);
    } finally {
      client.close();
    }
  });
});

describe('libSQL dev server: protocol and lifecycle', () => {
  it('answers the version probes so the client falls back from protobuf to JSON over /v2', async () => {
    expect((await fetch(`${server.url}/v3-protobuf`)).status).toBe(404);
    expect((await fetch(`${server.url}/v2`)).status).toBe(200);
    expect((await fetch(`${server.url}/v3`)).status).toBe(200);
  });

  it('answers a malformed pipeline body with a 400 JSON error', async () => {
    for (const body of [
      '{not json',
      '[]',
      { requests: 5 },
      { requests: [{ type: 'nope' }] },
      { requests: [{ type: 'execute', stmt: { sql: 'SELECT ?', args: [{ type: 'integer', value: 'x' }] } }] },
    ]) {
      const res = await pipeline(body);
      expect(res.status).toBe(400);
      expect(res.type).toBe('application/json');
      expect(res.json.message).toEqual(expect.any(String));
    }
  });

  it('continues a stream with its baton once, then treats that baton as spent', async () => {
    const opened = await pipeline({ requests: [{ type: 'execute', stmt: { sql: 'BEGIN' } }] });
    expect(opened.status).toBe(200);
    const baton = opened.json.baton as string;

    const next = await pipeline(
      { baton, requests: [{ type: 'get_autocommit' }, { type: 'close' }] },
      `${server.url}/v3/pipeline`,
    );
    expect(next.json).toEqual({
      baton: null,
      base_url: null,
      results: [
        { type: 'ok', response: { type: 'get_autocommit', is_autocommit: false } },
        { type: 'ok', response: { type: 'close' } },
      ],
    });
    expect((await pipeline({ baton, requests: [] })).status).toBe(400);
    expect((await pipeline({ baton: 'made-up', requests: [] })).json.code).toBe('BATON_INVALID');
  });

  it('evaluates batch step conditions as sqld does', async () => {
    const step = (sql: string, condition?: unknown) => ({ condition, stmt: { sql, want_rows: true } });
    const res = await pipeline({
      requests: [
        {
          type: 'batch',
          batch: {
            steps: [
              step('SELECT 1'),
              step('SELECT nope_fn()'),
              step('SELECT 3', { type: 'error', step: 1 }),
              step('SELECT 4', { type: 'ok', step: 1 }),
              step('SELECT 5', {
                type: 'and',
                conds: [
                  { type: 'ok', step: 0 },
                  { type: 'not', cond: { type: 'ok', step: 3 } },
                ],
              }),
            ],
          },
        },
        { type: 'close' },
      ],
    });
    const [batch] = res.json.results as { response: { result: { step_results: unknown[]; step_errors: unknown[] } } }[];
    const { step_results, step_errors } = batch!.response.result;
    expect(step_results.map((r) => (r === null ? null : 'ok'))).toEqual(['ok', null, 'ok', null, 'ok']);
    expect(step_errors.map((e) => (e === null ? null : 'error'))).toEqual([null, 'error', null, null, null]);
  });

  it('keeps the file in WAL mode and its data across a server restart', async () => {
    const file = path.join(dir, 'restart.db');
    const first = await startLibsqlServer({ file });
    try {
      const db = connect({}, first.url);
      expect((await db.execute('PRAGMA journal_mode')).rows[0]!.journal_mode).toBe('wal');
      await db.execute('CREATE TABLE kept (v TEXT)');
      await db.execute("INSERT INTO kept VALUES ('still here')");
    } finally {
      await first.close();
    }

    const second = await startLibsqlServer({ file });
    try {
      const { rows } = await connect({}, second.url).execute('SELECT v FROM kept');
      expect(rows.map((r) => r.v)).toEqual(['still here']);
    } finally {
      await second.close();
    }
  });
});
