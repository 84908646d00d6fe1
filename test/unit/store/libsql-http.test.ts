import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LibsqlServer, startLibsqlServer } from '../../../dev/libsql-server/index.ts';
import { LibsqlError, openLibsqlHttp } from '../../../src/store/libsql-http.ts';

/** A fetch that records each request and answers with `answer`'s body and status. */
function recording(answer: { status?: number; body: unknown }) {
  const requests: { url: string; headers: Headers; body: unknown }[] = [];
  const send = async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push({ url: String(input), headers: new Headers(init?.headers), body: JSON.parse(String(init?.body)) });
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    return new Response(text, { status: answer.status ?? 200 });
  };
  return { requests, fetch: send as typeof fetch };
}

const executed = (result: object) => ({
  baton: null,
  base_url: null,
  results: [
    { type: 'ok', response: { type: 'execute', result } },
    { type: 'ok', response: { type: 'close' } },
  ],
});

describe('the libSQL HTTP client on the wire (Hrana over HTTP 2, JSON)', () => {
  it('sends one pipeline per call, the statement then close, each value as the spec encodes it', async () => {
    const server = recording({
      body: executed({ cols: [], rows: [], affected_row_count: 0, last_insert_rowid: null }),
    });
    const client = openLibsqlHttp({ url: 'https://db.example/', authToken: 'token-1', fetch: server.fetch });
    await client.execute({
      sql: 'insert into t values (?, ?, ?, ?, ?, ?, ?)',
      args: [null, 'تهران', 1.5, 42n, true, new Uint8Array([1, 2, 3]), new Date(86_400_000)],
    });

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.url).toBe('https://db.example/v2/pipeline');
    expect(request?.headers.get('authorization')).toBe('Bearer token-1');
    expect(request?.body).toEqual({
      baton: null,
      requests: [
        {
          type: 'execute',
          stmt: {
            sql: 'insert into t values (?, ?, ?, ?, ?, ?, ?)',
            args: [
              { type: 'null' },
              { type: 'text', value: 'تهران' },
              { type: 'float', value: 1.5 },
              { type: 'integer', value: '42' },
              { type: 'integer', value: '1' },
              { type: 'blob', base64: 'AQID' },
              { type: 'float', value: 86_400_000 },
            ],
            want_rows: true,
          },
        },
        { type: 'close' },
      ],
    });
  });

  it('reads libsql: as https, or as http with ?tls=0, and resolves the pipeline against the path', async () => {
    const urls: string[] = [];
    for (const url of ['libsql://db.example', 'libsql://db.example:8080?tls=0', 'http://127.0.0.1:9/base/']) {
      const server = recording({
        body: executed({ cols: [], rows: [], affected_row_count: 0, last_insert_rowid: null }),
      });
      await openLibsqlHttp({ url, fetch: server.fetch }).execute({ sql: 'select 1' });
      urls.push(server.requests[0]?.url ?? '');
      expect(server.requests[0]?.headers.has('authorization')).toBe(false);
    }
    expect(urls).toEqual([
      'https://db.example/v2/pipeline',
      'http://db.example:8080/v2/pipeline',
      'http://127.0.0.1:9/base/v2/pipeline',
    ]);
    expect(() => openLibsqlHttp({ url: 'ws://db.example' })).toThrow(LibsqlError);
  });

  it('reads rows as arrays whose columns are also their only keys, integers as numbers, blobs as bytes', async () => {
    const server = recording({
      body: executed({
        cols: [
          { name: 'id', decltype: 'INTEGER' },
          { name: 'name', decltype: 'TEXT' },
          { name: 'data', decltype: 'BLOB' },
          { name: 'id', decltype: null },
        ],
        rows: [
          [
            { type: 'integer', value: '7' },
            { type: 'text', value: 'شیراز' },
            { type: 'blob', base64: 'AQID' },
            { type: 'float', value: 0.5 },
          ],
        ],
        affected_row_count: 1,
        last_insert_rowid: '7',
      }),
    });
    const result = await openLibsqlHttp({ url: 'https://db.example', fetch: server.fetch }).execute({ sql: 'select' });
    const [row] = result.rows;
    expect(result.columns).toEqual(['id', 'name', 'data', 'id']);
    expect(result.columnTypes).toEqual(['INTEGER', 'TEXT', 'BLOB', '']);
    expect(result.rowsAffected).toBe(1);
    expect(result.lastInsertRowid).toBe(7n);
    expect(Array.prototype.slice.call(row).slice(0, 2)).toEqual([7, 'شیراز']);
    expect(row?.[3]).toBe(0.5);
    // The first of two columns of the same name is the one named.
    expect(Object.keys(row ?? {})).toEqual(['id', 'name', 'data']);
    expect(row?.id).toBe(7);
    expect(new Uint8Array(row?.data as ArrayBuffer)).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('refuses an integer a number cannot hold, rather than round it', async () => {
    const server = recording({
      body: executed({
        cols: [{ name: 'n', decltype: null }],
        rows: [[{ type: 'integer', value: '9007199254740993' }]],
        affected_row_count: 0,
        last_insert_rowid: null,
      }),
    });
    await expect(
      openLibsqlHttp({ url: 'https://db.example', fetch: server.fetch }).execute({ sql: 'select' }),
    ).rejects.toThrow(RangeError);
  });

  it('throws the HTTP status with the protocol error of the body, the status alone for a proxy page, and refuses a body that is no pipeline answer', async () => {
    const refused = recording({ status: 401, body: { message: 'Authentication failed' } });
    const error = await openLibsqlHttp({ url: 'https://db.example', fetch: refused.fetch })
      .execute({ sql: 'select 1' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(LibsqlError);
    expect(error).toMatchObject({
      code: 'HTTP_401',
      message: 'the libSQL server answered HTTP 401: Authentication failed',
    });

    const proxy = recording({ status: 502, body: '<html>Bad Gateway</html>' });
    await expect(
      openLibsqlHttp({ url: 'https://db.example', fetch: proxy.fetch }).execute({ sql: 'select 1' }),
    ).rejects.toThrow(/^the libSQL server answered HTTP 502$/);

    const garbled = recording({ body: '<html>OK</html>' });
    await expect(
      openLibsqlHttp({ url: 'https://db.example', fetch: garbled.fetch }).execute({ sql: 'select 1' }),
    ).rejects.toThrow(LibsqlError);
  });
});

describe('the libSQL HTTP client against the local libSQL server', () => {
  let dir: string;
  let server: LibsqlServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pishkhan-libsql-http-'));
    server = await startLibsqlServer({ file: join(dir, 'test.db') });
    await openLibsqlHttp({ url: server.url }).execute({
      sql: 'create table notes (id integer primary key, body text not null unique, weight real, data blob)',
    });
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const client = () => openLibsqlHttp({ url: server.url });

  it('stores and reads back every kind of value', async () => {
    const inserted = await client().execute({
      sql: 'insert into notes (body, weight, data) values (?, ?, ?)',
      args: ['سلام ۱۲۳', 2.25, new Uint8Array([0, 255, 7])],
    });
    expect(inserted.rowsAffected).toBe(1);
    expect(typeof inserted.lastInsertRowid).toBe('bigint');

    const { rows } = await client().execute({
      sql: 'select id, body, weight, data, null as absent from notes where id = ?',
      args: [Number(inserted.lastInsertRowid)],
    });
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row?.id).toBe(Number(inserted.lastInsertRowid));
    expect(row?.body).toBe('سلام ۱۲۳');
    expect(row?.weight).toBe(2.25);
    expect(new Uint8Array(row?.data as ArrayBuffer)).toEqual(new Uint8Array([0, 255, 7]));
    expect(row?.absent).toBeNull();
  });

  it('runs a batch as one transaction: each statement its result, or on a failure none of its writes', async () => {
    const results = await client().batch([
      { sql: 'insert into notes (body) values (?)', args: ['batch-a'] },
      { sql: 'update notes set weight = ? where body = ?', args: [1, 'batch-a'] },
      { sql: 'select count(*) as n from notes where body like ?', args: ['batch-%'] },
    ]);
    expect(results.map((result) => result.rowsAffected)).toEqual([1, 1, 0]);
    expect(results[2]?.rows[0]?.n).toBe(1);

    const failed = await client()
      .batch([
        { sql: 'insert into notes (body) values (?)', args: ['batch-b'] },
        { sql: 'insert into notes (body) values (?)', args: ['batch-a'] },
        { sql: 'insert into notes (body) values (?)', args: ['batch-c'] },
      ])
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(LibsqlError);
    expect((failed as LibsqlError).message).toMatch(/UNIQUE/);
    const { rows } = await client().execute({ sql: "select body from notes where body like 'batch-%' order by body" });
    expect(rows.map((row) => row.body)).toEqual(['batch-a']);
  });

  it('answers a statement the server refuses with its error, and the next call works', async () => {
    await expect(client().execute({ sql: 'select * from missing_table' })).rejects.toThrow(/no such table/);
    const { rows } = await client().execute({ sql: 'select 1 as one' });
    expect(rows[0]?.one).toBe(1);
  });
});
