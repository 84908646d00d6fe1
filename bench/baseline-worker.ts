/**
 * The benchmark's baseline: a bare Hono route on the same workerd that does the least any webhook
 * must do (read the body, one INSERT into the same libSQL server through the app's client,
 * `@libsql/client/web`) and answers 200. Pishkhan's answer time beside this one shows what
 * checking, parsing, hashing, sealing and claiming cost beyond "one insert and an answer".
 */
import { type Client, createClient } from '@libsql/client/web';
import { Hono } from 'hono';

type Env = { Bindings: { LIBSQL_URL: string } };

interface Database {
  client: Client;
  /** The table's creation; every insert waits on it. */
  ready: Promise<unknown>;
}

// Once per isolate, as the app builds its database client: not part of a request's cost.
let database: Database | undefined;

function databaseFor(url: string): Database {
  if (!database) {
    // No client-side limit: the client's default (20 at once, and 0 also means 20) queues the 21st
    // statement behind another request's, and workerd then runs its fetch in that request's context
    // and cancels it as hung when that request ends; the stuck slots are never freed.
    const client = createClient({ url, concurrency: Number.POSITIVE_INFINITY });
    const ready = client.execute(`create table if not exists bench_baseline (
      id integer primary key autoincrement, body text not null, received_at integer not null)`);
    database = { client, ready };
  }
  return database;
}

const app = new Hono<Env>();

app.get('/healthz', (c) => c.body(null, 200));

app.post('/webhook', async (c) => {
  const { client, ready } = databaseFor(c.env.LIBSQL_URL);
  // Decoded by hand, as the app does: workerd warns when .text() reads a form body.
  const body = new TextDecoder().decode(await c.req.arrayBuffer());
  await ready;
  await client.execute({
    sql: 'insert into bench_baseline (body, received_at) values (?, ?)',
    args: [body, Date.now()],
  });
  return c.body(null, 200);
});

export default app;
