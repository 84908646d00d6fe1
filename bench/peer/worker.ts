/**
 * The benchmark's peer: the same 4-step postcode form as Pishkhan's, written the way a grammY bot
 * is (grammY with @grammyjs/conversations, the session and the conversation stored in the same
 * libSQL server), on a Bot-API webhook. It reuses Pishkhan's strings and postcode rule, so both
 * say the same words for the same work, and fetches the address from the GSB sandbox without
 * signing (the sandbox admits unsigned calls in the bench). Run by `npm run bench`; never deployed.
 */
import { type Conversation, type ConversationFlavor, conversations, createConversation } from '@grammyjs/conversations';
import { type Client, createClient } from '@libsql/client/http';
import { Bot, type Context, Keyboard, type SessionFlavor, type StorageAdapter, session, webhookCallback } from 'grammy';
import * as v from 'valibot';
import { menuKeyboard } from '../../src/conversation/keyboards.ts';
import { toPersianDigits } from '../../src/i18n/digits.ts';
import { fa } from '../../src/i18n/fa.ts';
import { faServices } from '../../src/i18n/fa-services.ts';
import { catalogue } from '../../src/services/catalogue.ts';
import { postcode as postcodeRule } from '../../src/validation/postcode.ts';

interface Env {
  LIBSQL_URL: string;
  BOT_TOKEN: string;
  BOT_API_BASE: string;
  GSB_BASE_URL: string;
}

type SessionData = { lastSeen: number };
type PeerContext = ConversationFlavor<Context & SessionFlavor<SessionData>>;

/** Keys and values as text in one table: what grammY's storage adapters ask of a database. */
function libsqlStorage<T>(client: Client, ready: Promise<unknown>, prefix: string): StorageAdapter<T> {
  return {
    async read(key) {
      await ready;
      const { rows } = await client.execute({ sql: 'select value from peer_kv where key = ?', args: [prefix + key] });
      const value = rows[0]?.value;
      return typeof value === 'string' ? (JSON.parse(value) as T) : undefined;
    },
    async write(key, value) {
      await ready;
      await client.execute({
        sql: 'insert into peer_kv (key, value) values (?, ?) on conflict (key) do update set value = excluded.value',
        args: [prefix + key, JSON.stringify(value)],
      });
    },
    async delete(key) {
      await ready;
      await client.execute({ sql: 'delete from peer_kv where key = ?', args: [prefix + key] });
    },
  };
}

const menu = new Keyboard(menuKeyboard(catalogue).map((row) => row.map((button) => Keyboard.text(button.label))))
  .resized()
  .persistent();
const formKeys = new Keyboard().text(fa.backButton).text(fa.helpButton).text(fa.cancelButton).resized();
const Address = v.object({ province: v.string(), township: v.string(), street: v.optional(v.nullable(v.string())) });

async function fetchAddress(env: Env, postcode: string): Promise<string> {
  const requestId = crypto.randomUUID();
  const response = await fetch(`${env.GSB_BASE_URL}/api/client/apim/v1/post/gnaf/addressByPostcode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', pid: 'peer-postcode-v1', 'idempotency-key': requestId },
    body: JSON.stringify({ requestId, postcode }),
  });
  if (!response.ok) return faServices.postcode.notFound;
  const answer = v.safeParse(Address, ((await response.json()) as { result?: unknown }).result);
  if (!answer.success) return faServices.postcode.notFound;
  const { province, township, street } = answer.output;
  const t = faServices.postcode;
  return `📮 ${t.heading} ${toPersianDigits(postcode)}:\n${t.province} ${province}، ${t.township} ${township}\n${street ?? ''}`;
}

/** The form: ask, check (the reason and the question again), then the bus. */
function postcodeForm(env: Env) {
  return async (conversation: Conversation<PeerContext, Context>, ctx: Context) => {
    await ctx.reply(faServices.postcode.prompt, { reply_markup: formKeys });
    for (;;) {
      const answer = await conversation.waitFor('message:text');
      const parsed = v.safeParse(postcodeRule, answer.message.text);
      if (parsed.success) {
        const address = await conversation.external(() => fetchAddress(env, parsed.output));
        await answer.reply(address, { reply_markup: menu });
        return;
      }
      await answer.reply(`${parsed.issues[0].message}\n\n${faServices.postcode.prompt}`, { reply_markup: formKeys });
    }
  };
}

/** One bot per isolate, as grammY's docs build it for Workers: not part of a request's cost. */
let handler: ((request: Request) => Promise<Response>) | undefined;

function handlerFor(env: Env) {
  if (handler) return handler;
  // No client-side limit: the client's default of 20 stalls a workerd isolate under load.
  const client = createClient({ url: env.LIBSQL_URL, concurrency: Number.POSITIVE_INFINITY });
  const ready = client.execute('create table if not exists peer_kv (key text primary key, value text not null)');
  const botId = Number(env.BOT_TOKEN.split(':')[0]);
  const bot = new Bot<PeerContext>(env.BOT_TOKEN, {
    botInfo: {
      id: botId,
      is_bot: true,
      first_name: 'Peer',
      username: 'peer_bot',
      can_join_groups: false,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    },
    client: { apiRoot: env.BOT_API_BASE },
  });
  bot.use(
    session({ initial: () => ({ lastSeen: 0 }), storage: libsqlStorage<SessionData>(client, ready, 'session:') }),
  );
  bot.use(async (ctx, next) => {
    ctx.session.lastSeen = ctx.message?.date ?? 0;
    await next();
  });
  bot.use(conversations({ storage: libsqlStorage(client, ready, 'conversation:') }));
  bot.use(createConversation(postcodeForm(env), 'postcode'));
  bot.hears(faServices.postcode.title, (ctx) => ctx.conversation.enter('postcode'));
  bot.on('message:text', (ctx) => ctx.reply(`${fa.greeting}\n\n${fa.menuPrompt}`, { reply_markup: menu }));
  handler = webhookCallback(bot, 'cloudflare-mod');
  return handler;
}

export default {
  fetch(request: Request, env: Env): Promise<Response> | Response {
    if (new URL(request.url).pathname === '/healthz') return new Response(null, { status: 200 });
    return handlerFor(env)(request);
  },
};
