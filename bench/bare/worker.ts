/**
 * The benchmark's bare worker: the least any webhook must do, on the same workerd and the same
 * libSQL server as Pishkhan (read the body, one INSERT through the same libSQL HTTP client, 200), then,
 * after the answer, one reply to the chat through the same Bot-API fake, so that a conversation
 * can be timed against it too. Pishkhan's figures beside these show what checking, parsing,
 * sealing, the conversation and the bus cost beyond "one insert and an answer".
 */
import { Hono } from 'hono';
import { type LibsqlHttpClient, openLibsqlHttp } from '../../src/store/libsql-http.ts';

type Env = { Bindings: { LIBSQL_URL: string; BOT_TOKEN: string; BOT_API_BASE: string } };

interface Database {
  client: LibsqlHttpClient;
  /** The table's creation; every insert waits on it. */
  ready: Promise<unknown>;
}

// Once per isolate, as the app builds its database client: not part of a request's cost.
let database: Database | undefined;

function databaseFor(url: string): Database {
  if (!database) {
    const client = openLibsqlHttp({ url });
    const ready = client.execute({
      sql: `create table if not exists bench_bare (
      id integer primary key autoincrement, body text not null, received_at integer not null)`,
    });
    database = { client, ready };
  }
  return database;
}

const app = new Hono<Env>();

app.get('/healthz', (c) => c.body(null, 200));

app.post('/webhook', async (c) => {
  const { client, ready } = databaseFor(c.env.LIBSQL_URL);
  const body = new TextDecoder().decode(await c.req.arrayBuffer());
  const chatId = (JSON.parse(body) as { message?: { chat?: { id?: number } } }).message?.chat?.id;
  await ready;
  await client.execute({ sql: 'insert into bench_bare (body, received_at) values (?, ?)', args: [body, Date.now()] });
  if (chatId !== undefined) {
    const reply = fetch(`${c.env.BOT_API_BASE}/bot${c.env.BOT_TOKEN}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: chatId, text: 'ok' }),
    }).then((response) => response.body?.cancel());
    c.executionCtx.waitUntil(reply);
  }
  return c.body(null, 200);
});

export default app;
