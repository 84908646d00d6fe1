import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type BotApiBotMessage,
  createBotApiSandbox,
  startBotApiSandbox,
} from '../../../dev/sandboxes/bot-api/index.ts';
import { listen, type RunningServer } from '../../../dev/sandboxes/kit/serve.ts';
import { parseExactJson } from '../../../src/channels/exact-json.ts';

const TOKEN = '1000001:sandbox-token';
const BIG = '123456789012345678'; // beyond 2^53
type App = ReturnType<typeof createBotApiSandbox>;

const call = (app: App, method: string, body: string, token = TOKEN, contentType = 'application/json') =>
  app.request(`/bot${token}/${method}`, { method: 'POST', headers: { 'content-type': contentType }, body });
const send = (app: App, body: Record<string, unknown>, token = TOKEN) =>
  call(app, 'sendMessage', JSON.stringify(body), token);
const postJson = (app: App, path: string, body: unknown) =>
  app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function messages(app: App, query: string): Promise<BotApiBotMessage[]> {
  const res = await app.request(`/_sandbox/messages?${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { messages: BotApiBotMessage[] }).messages;
}

/** A stand-in bot webhook on a free port that keeps every body and secret-token header it receives. */
async function startReceiver(status = 200, onPost?: (update: Record<string, unknown>) => Promise<void>) {
  const received: { raw: string; secretToken: string | undefined; update: Record<string, unknown> }[] = [];
  const app = new Hono().post('/hook', async (c) => {
    const raw = await c.req.text();
    const update = parseExactJson(raw) as Record<string, unknown>;
    received.push({ raw, secretToken: c.req.header('x-telegram-bot-api-secret-token'), update });
    await onPost?.(update);
    return c.body(null, status as 200);
  });
  const server = await listen(app);
  return { server, received, url: `${server.url}/hook` };
}

describe('Bot API sandbox: the bot side', () => {
  it('accepts sendMessage with the token in the path, answers the Bot API envelope and records it, ids exact', async () => {
    const app = createBotApiSandbox({ token: TOKEN });
    const res = await call(app, 'sendMessage', `{"chat_id":${BIG},"text":"سلام"}`);
    expect(res.status).toBe(200);
    const raw = await res.text();
    expect(raw).toContain(`"chat":{"id":${BIG},`);
    expect(parseExactJson(raw)).toMatchObject({ ok: true, result: { chat: { id: BIG }, text: 'سلام' } });
    expect(await messages(app, `chat_id=${BIG}`)).toMatchObject([{ side: 'bot', chat_id: BIG, text: 'سلام' }]);
  });

  it('records a reply keyboard and inline buttons, from JSON objects or form strings', async () => {
    const app = createBotApiSandbox({ token: TOKEN });
    const keyboard = { keyboard: [[{ text: 'منو' }]], resize_keyboard: true, one_time_keyboard: false };
    await send(app, { chat_id: 5, text: 'a', reply_markup: keyboard });
    const inline = { inline_keyboard: [[{ text: 'تایید', callback_data: 'ok' }]] };
    const form = new URLSearchParams({ chat_id: '5', text: 'b', reply_markup: JSON.stringify(inline) }).toString();
    await call(app, 'sendMessage', form, TOKEN, 'application/x-www-form-urlencoded');
    expect((await messages(app, 'chat_id=5')).map((m) => m.reply_markup)).toEqual([keyboard, inline]);
  });

  it('refuses a wrong token with 401, an unknown method with 404, each in the Bot API envelope', async () => {
    const app = createBotApiSandbox({ token: TOKEN });
    const wrong = await send(app, { chat_id: 5, text: 'x' }, '2:other');
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
    const unknown = await call(app, 'sendSticker', '{}');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ ok: false, error_code: 404 });
    expect(await messages(app, 'chat_id=5')).toEqual([]);
  });

  it('refuses a missing chat, an empty or too long text and a bad keyboard with 400', async () => {
    const app = createBotApiSandbox({ token: TOKEN, textLimit: 4000 });
    for (const body of [
      { text: 'x' },
      { chat_id: 5, text: ' ' },
      { chat_id: 5, text: 'ا'.repeat(4001) },
      { chat_id: 5, text: 'x', reply_markup: { keyboard: 'no' } },
    ]) {
      const res = await send(app, body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ ok: false, error_code: 400 });
    }
    expect((await send(app, { chat_id: 5, text: 'ا'.repeat(4000) })).status).toBe(200);
  });

  it('records answerCallbackQuery, in the chat of a press it delivered', async () => {
    const receiver = await startReceiver();
    const app = createBotApiSandbox({ token: TOKEN, webhookUrl: receiver.url });
    await postJson(app, '/_sandbox/deliver', { chat_id: '5', callback_data: 'ok' });
    const id = (receiver.received[0]!.update.callback_query as { id: string }).id;
    await receiver.server.close();
    const res = await call(app, 'answerCallbackQuery', JSON.stringify({ callback_query_id: id }));
    expect(await res.json()).toEqual({ ok: true, result: true });
    await call(app, 'answerCallbackQuery', JSON.stringify({ callback_query_id: 'not-delivered-here' }));
    const { entries } = (await (await app.request('/_sandbox/conversation')).json()) as {
      entries: Record<string, unknown>[];
    };
    expect(entries.filter((e) => e.side === 'callback')).toMatchObject([
      { chat_id: '5', callback_query_id: id, show_alert: false },
      { chat_id: null, callback_query_id: 'not-delivered-here' },
    ]);
  });
});

describe('Bot API sandbox: faults', () => {
  it('answers the next sends of a chat 429 with parameters.retry_after in the body, then accepts again', async () => {
    const app = createBotApiSandbox({ token: TOKEN });
    expect(
      (await postJson(app, '/_sandbox/faults', { status: 429, retryAfter: 3, count: 2, chat_id: BIG })).status,
    ).toBe(200);
    expect((await send(app, { chat_id: 5, text: 'x' })).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const res = await call(app, 'sendMessage', `{"chat_id":${BIG},"text":"x"}`);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBeNull();
      expect(await res.json()).toMatchObject({ ok: false, error_code: 429, parameters: { retry_after: 3 } });
    }
    expect((await call(app, 'sendMessage', `{"chat_id":${BIG},"text":"x"}`)).status).toBe(200);
    expect(await messages(app, `chat_id=${BIG}`)).toHaveLength(1);
  });

  it('makes a send hang for timeoutMs, then answer and record it; refuses a fault it cannot read', async () => {
    const app = createBotApiSandbox({ token: TOKEN });
    await postJson(app, '/_sandbox/faults', { timeoutMs: 150 });
    const started = performance.now();
    expect((await send(app, { chat_id: 5, text: 'x' })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect((await postJson(app, '/_sandbox/faults', { count: 1 })).status).toBe(400);
  });
});

describe('Bot API sandbox: faults for a time', () => {
  it('fails about the given share of every send while the fault lasts, and none after', async () => {
    const app = createBotApiSandbox({ token: TOKEN });
    const set = await postJson(app, '/_sandbox/faults', { status: 503, forMs: 60_000, rate: 0.5, chat_id: '7' });
    expect(set.status).toBe(200);
    const statuses = [];
    for (let i = 0; i < 400; i++) statuses.push((await send(app, { chat_id: 7, text: 'x' })).status);
    const failed = statuses.filter((status) => status === 503).length;
    expect(failed).toBeGreaterThan(120);
    expect(failed).toBeLessThan(280);
    expect(await messages(app, 'chat_id=7')).toHaveLength(400 - failed);

    const since = Date.now();
    await postJson(app, '/_sandbox/faults', { status: 429, retryAfter: 1, forMs: 1_000, rate: 1, chat_id: '8' });
    expect((await send(app, { chat_id: 8, text: 'x' })).status).toBe(429);
    await expect.poll(() => Date.now(), { timeout: 2_000, interval: 10 }).toBeGreaterThan(since + 1_000);
    expect((await send(app, { chat_id: 8, text: 'x' })).status).toBe(200);
  });
});

describe('Bot API sandbox: delivery to the bot', () => {
  const stops: RunningServer[] = [];
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((s) => s.close()));
  });

  it('delivers a text, a press and a contact as Updates with fresh update ids, ids as exact integers', async () => {
    const receiver = await startReceiver();
    stops.push(receiver.server);
    const app = createBotApiSandbox({ token: TOKEN, webhookUrl: receiver.url, secretToken: 'tok' });
    await send(app, { chat_id: BIG, text: 'منو' });
    const answers = [];
    for (const body of [
      { chat_id: BIG, text: 'سلام' },
      { chat_id: BIG, callback_data: 'ok' },
      { chat_id: BIG, contact: { phone_number: '989121234567' } },
      { chat_id: BIG, contact: { phone_number: '989121234567', user_id: null } },
    ]) {
      const res = await postJson(app, '/_sandbox/deliver', body);
      expect(res.status).toBe(200);
      answers.push((await res.json()) as { status: number; update_id: number });
    }
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.update_id)).size).toBe(4);
    const [text, press, own, unnamed] = receiver.received;
    expect(receiver.received.every((r) => r.secretToken === 'tok')).toBe(true);
    expect(text?.raw).toContain(`"chat":{"id":${BIG},`);
    expect(text?.update).toMatchObject({
      message: { chat: { id: BIG }, from: { id: BIG, is_bot: false }, text: 'سلام' },
    });
    expect(press?.update).toMatchObject({
      callback_query: { from: { id: BIG }, data: 'ok', message: { chat: { id: BIG } } },
    });
    expect(own?.update).toMatchObject({ message: { contact: { phone_number: '989121234567', user_id: BIG } } });
    expect((unnamed!.update.message as { contact: object }).contact).not.toHaveProperty('user_id');
  });

  it('refuses a delivery with no or two kinds of content, and answers 409 without a webhook', async () => {
    const receiver = await startReceiver();
    stops.push(receiver.server);
    const app = createBotApiSandbox({ token: TOKEN, webhookUrl: receiver.url });
    expect((await postJson(app, '/_sandbox/deliver', { chat_id: 5 })).status).toBe(400);
    expect((await postJson(app, '/_sandbox/deliver', { chat_id: 5, text: 'x', callback_data: 'y' })).status).toBe(400);
    expect(
      (await postJson(createBotApiSandbox({ token: TOKEN }), '/_sandbox/deliver', { chat_id: 5, text: 'x' })).status,
    ).toBe(409);
  });

  it('carries a round trip: the bot answers the delivery through the running sandbox', async () => {
    let sandboxUrl = '';
    const receiver = await startReceiver(200, async (update) => {
      const { chat } = update.message as { chat: { id: string } };
      await fetch(`${sandboxUrl}/bot${TOKEN}/sendMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: `{"chat_id":${chat.id},"text":"echo"}`,
      });
    });
    stops.push(receiver.server);
    const sandbox = await startBotApiSandbox({ token: TOKEN, webhookUrl: receiver.url });
    stops.push(sandbox);
    sandboxUrl = sandbox.url;
    await fetch(`${sandbox.url}/_sandbox/deliver`, { method: 'POST', body: `{"chat_id":${BIG},"text":"سلام"}` });
    const res = await fetch(`${sandbox.url}/_sandbox/messages?chat_id=${BIG}`);
    expect(((await res.json()) as { messages: BotApiBotMessage[] }).messages.map((m) => m.text)).toEqual(['echo']);
  });
});
