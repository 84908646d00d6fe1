import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { createGapSandbox, type GapBotMessage, startGapSandbox } from '../../../dev/sandboxes/gap/index.ts';
import { listen, type RunningServer } from '../../../dev/sandboxes/kit/serve.ts';

const TOKEN = 'a'.repeat(64);
type App = ReturnType<typeof createGapSandbox>;

function send(app: App, fields: Record<string, string>, token = TOKEN) {
  return app.request('/sendMessage', {
    method: 'POST',
    headers: { token, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

async function messages(app: App, query: string): Promise<GapBotMessage[]> {
  const res = await app.request(`/_sandbox/messages?${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { messages: GapBotMessage[] }).messages;
}

const postJson = (app: App, path: string, body: unknown) =>
  app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** A stand-in bot webhook on a free port that keeps every form body it receives. */
async function startReceiver(status = 200, onPost?: (form: URLSearchParams) => Promise<void>) {
  const received: { contentType: string | undefined; form: URLSearchParams }[] = [];
  const app = new Hono().post('/hook', async (c) => {
    const form = new URLSearchParams(await c.req.text());
    received.push({ contentType: c.req.header('content-type'), form });
    await onPost?.(form);
    return c.body(null, status as 200);
  });
  const server = await listen(app);
  return { server, received, url: `${server.url}/hook` };
}

describe('Gap sandbox: bot API', () => {
  it('accepts a sendMessage with the right token, answers its id and records it', async () => {
    const app = createGapSandbox({ token: TOKEN });
    const res = await send(app, { chat_id: '1001', type: 'text', data: 'سلام\nخوش آمدید' });
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: number };
    expect(id).toBeGreaterThan(0);
    expect(await messages(app, 'chat_id=1001')).toMatchObject([
      { id, chat_id: '1001', type: 'text', data: 'سلام\nخوش آمدید' },
    ]);
  });

  it('refuses a wrong token with 403 and an error, and records nothing', async () => {
    const app = createGapSandbox({ token: TOKEN });
    const res = await send(app, { chat_id: '1001', type: 'text', data: 'x' }, 'b'.repeat(64));
    expect(res.status).toBe(403);
    expect(typeof ((await res.json()) as { error: unknown }).error).toBe('string');
    expect(await messages(app, 'chat_id=1001')).toEqual([]);
  });

  it('refuses missing fields with 400 naming them', async () => {
    const app = createGapSandbox({ token: TOKEN });
    const res = await send(app, { type: 'text' });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: string };
    expect(error).toContain('chat_id');
    expect(error).toContain('data');
  });

  it("lists one chat's messages in ascending id order, after a given id", async () => {
    const app = createGapSandbox({ token: TOKEN });
    const ids: number[] = [];
    for (const [chat, text] of [
      ['1001', 'یک'],
      ['2002', 'دیگری'],
      ['1001', 'دو'],
      ['1001', 'سه'],
    ] as const) {
      ids.push(((await (await send(app, { chat_id: chat, type: 'text', data: text })).json()) as { id: number }).id);
    }
    expect((await messages(app, 'chat_id=1001')).map((m) => m.data)).toEqual(['یک', 'دو', 'سه']);
    expect((await messages(app, `chat_id=1001&after=${ids[2]}`)).map((m) => m.data)).toEqual(['سه']);
    expect((await app.request('/_sandbox/messages?chat_id=1001&after=x')).status).toBe(400);
    expect((await app.request('/_sandbox/messages', { method: 'DELETE' })).status).toBe(204);
    expect(await messages(app, 'chat_id=1001')).toEqual([]);
  });

  it('records reply and inline keyboards parsed from their JSON strings', async () => {
    const app = createGapSandbox({ token: TOKEN });
    const reply = { keyboard: [[{ yes: 'بله' }, { no: 'خیر' }], [{ $contact: 'ارسال شماره' }]], once: true };
    const inline = [[{ text: 'تایید', cb_data: 'confirm:1' }], [{ text: 'سامانه', url: 'https://example.ir' }]];
    await send(app, {
      chat_id: '1001',
      type: 'text',
      data: 'انتخاب کنید',
      reply_keyboard: JSON.stringify(reply),
      inline_keyboard: JSON.stringify(inline),
    });
    const [message] = await messages(app, 'chat_id=1001');
    expect(message?.reply_keyboard).toEqual(reply);
    expect(message?.inline_keyboard).toEqual(inline);
  });

  it('refuses a keyboard that is not valid keyboard JSON with 400', async () => {
    const app = createGapSandbox({ token: TOKEN });
    expect(
      (
        await send(app, {
          chat_id: '1',
          type: 'text',
          data: 'x',
          reply_keyboard: '{"keyboard": [[{"a":"b","c":"d"}]]}',
        })
      ).status,
    ).toBe(400);
    expect((await send(app, { chat_id: '1', type: 'text', data: 'x', inline_keyboard: 'not json' })).status).toBe(400);
  });

  it('answers answerCallback with {} and shows it in the conversation', async () => {
    const app = createGapSandbox({ token: TOKEN });
    const res = await app.request('/answerCallback', {
      method: 'POST',
      headers: { token: TOKEN },
      body: new URLSearchParams({ chat_id: '1001', callback_id: 'cb1', text: 'ثبت شد', show_alert: 'false' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const { entries } = (await (await app.request('/_sandbox/conversation?chat_id=1001')).json()) as {
      entries: unknown[];
    };
    expect(entries).toMatchObject([{ side: 'callback', callback_id: 'cb1', text: 'ثبت شد', show_alert: false }]);
  });
});

describe('Gap sandbox: faults', () => {
  it('answers the next n sends 429 with Retry-After without recording them, then accepts again', async () => {
    const app = createGapSandbox({ token: TOKEN });
    expect((await postJson(app, '/_sandbox/faults', { status: 429, count: 2, retryAfter: 3 })).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const res = await send(app, { chat_id: '1001', type: 'text', data: 'x' });
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('3');
    }
    expect((await send(app, { chat_id: '1001', type: 'text', data: 'x' })).status).toBe(200);
    expect(await messages(app, 'chat_id=1001')).toHaveLength(1);
  });

  it('makes the next send hang for timeoutMs, then answer 200 and record it', async () => {
    const app = createGapSandbox({ token: TOKEN });
    await postJson(app, '/_sandbox/faults', { timeoutMs: 150, count: 1 });
    const started = performance.now();
    expect((await send(app, { chat_id: '1001', type: 'text', data: 'x' })).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    const quick = performance.now();
    await send(app, { chat_id: '1001', type: 'text', data: 'y' });
    expect(performance.now() - quick).toBeLessThan(100);
    expect(await messages(app, 'chat_id=1001')).toHaveLength(2);
  });

  it('limits a fault with chat_id to that chat', async () => {
    const app = createGapSandbox({ token: TOKEN });
    await postJson(app, '/_sandbox/faults', { status: 500, count: 1, chat_id: '2002' });
    expect((await send(app, { chat_id: '1001', type: 'text', data: 'x' })).status).toBe(200);
    expect((await send(app, { chat_id: '2002', type: 'text', data: 'x' })).status).toBe(500);
    expect((await send(app, { chat_id: '2002', type: 'text', data: 'x' })).status).toBe(200);
  });

  it('refuses a fault body with neither status nor timeoutMs', async () => {
    const app = createGapSandbox({ token: TOKEN });
    expect((await postJson(app, '/_sandbox/faults', { count: 1 })).status).toBe(400);
  });
});

describe('Gap sandbox: delivery to the bot', () => {
  const stops: RunningServer[] = [];
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((s) => s.close()));
  });

  it("posts a Gap-style form body to the webhook and answers the bot's status and time", async () => {
    const receiver = await startReceiver(200);
    stops.push(receiver.server);
    const app = createGapSandbox({ token: TOKEN, webhookUrl: receiver.url });
    const res = await postJson(app, '/_sandbox/deliver', { chat_id: '1001', data: 'سلام' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: number; ms: number };
    expect(body.status).toBe(200);
    expect(body.ms).toBeGreaterThanOrEqual(0);
    const [hit] = receiver.received;
    expect(hit?.contentType).toContain('application/x-www-form-urlencoded');
    expect([...hit!.form.keys()].sort()).toEqual(['chat_id', 'data', 'from', 'type']);
    expect(hit!.form.get('chat_id')).toBe('1001');
    expect(hit!.form.get('type')).toBe('text');
    expect(hit!.form.get('data')).toBe('سلام');
    expect(Object.keys(JSON.parse(hit!.form.get('from')!)).sort()).toEqual(['id', 'name', 'user']);
  });

  it('delivers a reply-keyboard press as its value in a text message', async () => {
    const receiver = await startReceiver();
    stops.push(receiver.server);
    const app = createGapSandbox({ token: TOKEN, webhookUrl: receiver.url });
    await send(app, {
      chat_id: '1001',
      type: 'text',
      data: '?',
      reply_keyboard: JSON.stringify({ keyboard: [[{ 'svc:postcode': 'کد پستی' }]] }),
    });
    const [message] = await messages(app, 'chat_id=1001');
    const value = Object.keys(message!.reply_keyboard!.keyboard[0]![0]!)[0]!;
    await postJson(app, '/_sandbox/deliver', { chat_id: '1001', data: value });
    expect(receiver.received[0]!.form.get('type')).toBe('text');
    expect(receiver.received[0]!.form.get('data')).toBe('svc:postcode');
  });

  it('delivers an inline press as triggerButton with data, message_id and a fresh callback_id', async () => {
    const receiver = await startReceiver();
    stops.push(receiver.server);
    const app = createGapSandbox({ token: TOKEN, webhookUrl: receiver.url });
    const press = { chat_id: '1001', type: 'triggerButton', data: { data: 'confirm:1', message_id: 7 } };
    await postJson(app, '/_sandbox/deliver', press);
    await postJson(app, '/_sandbox/deliver', press);
    const [first, second] = receiver.received.map((r) => JSON.parse(r.form.get('data')!) as Record<string, unknown>);
    expect(receiver.received[0]!.form.get('type')).toBe('triggerButton');
    expect(first).toMatchObject({ data: 'confirm:1', message_id: 7 });
    expect(typeof first!.callback_id).toBe('string');
    expect(second!.callback_id).not.toBe(first!.callback_id);
  });

  it("records the citizen's side in the conversation, between the bot's messages", async () => {
    const receiver = await startReceiver();
    stops.push(receiver.server);
    const app = createGapSandbox({ token: TOKEN, webhookUrl: receiver.url });
    await send(app, { chat_id: '1001', type: 'text', data: 'منو' });
    await postJson(app, '/_sandbox/deliver', { chat_id: 1001, data: '/start' });
    const { entries } = (await (await app.request('/_sandbox/conversation?chat_id=1001')).json()) as {
      entries: { side: string; data: string }[];
    };
    expect(entries.map((e) => [e.side, e.data])).toEqual([
      ['bot', 'منو'],
      ['citizen', '/start'],
    ]);
    expect(await messages(app, 'chat_id=1001')).toHaveLength(1);
  });

  it("answers 409 without a webhook, then delivers once one is set, and reports the bot's error status", async () => {
    const receiver = await startReceiver(500);
    stops.push(receiver.server);
    const app = createGapSandbox({ token: TOKEN });
    expect((await postJson(app, '/_sandbox/deliver', { chat_id: '1001', data: 'x' })).status).toBe(409);
    expect((await postJson(app, '/_sandbox/webhook', { url: receiver.url })).status).toBe(200);
    const res = await postJson(app, '/_sandbox/deliver', { chat_id: '1001', data: 'x' });
    expect(((await res.json()) as { status: number }).status).toBe(500);
  });

  it('answers 502 when the webhook is unreachable', async () => {
    const receiver = await startReceiver();
    const deadUrl = receiver.url;
    await receiver.server.close();
    const app = createGapSandbox({ token: TOKEN, webhookUrl: deadUrl });
    const res = await postJson(app, '/_sandbox/deliver', { chat_id: '1001', data: 'x' });
    expect(res.status).toBe(502);
    expect((await res.json()) as object).toMatchObject({ status: 0 });
  });

  it('carries a round trip: the bot answers the delivery through the running sandbox', async () => {
    let sandboxUrl = '';
    const receiver = await startReceiver(200, async (form) => {
      await fetch(`${sandboxUrl}/sendMessage`, {
        method: 'POST',
        headers: { token: TOKEN },
        body: new URLSearchParams({ chat_id: form.get('chat_id')!, type: 'text', data: `echo: ${form.get('data')}` }),
      });
    });
    stops.push(receiver.server);
    const sandbox = await startGapSandbox({ token: TOKEN, webhookUrl: receiver.url });
    stops.push(sandbox);
    sandboxUrl = sandbox.url;
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await fetch(`${sandbox.url}/_sandbox/deliver`, {
      method: 'POST',
      body: JSON.stringify({ chat_id: '1001', data: 'سلام' }),
    });
    const res = await fetch(`${sandbox.url}/_sandbox/messages?chat_id=1001`);
    expect(((await res.json()) as { messages: GapBotMessage[] }).messages.map((m) => m.data)).toEqual(['echo: سلام']);
  });
});

describe('Gap sandbox: console', () => {
  it('serves a self-contained right-to-left chat page at /', async () => {
    const app = createGapSandbox({ token: TOKEN });
    const res = await app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toMatch(/<html lang="fa" dir="rtl">/);
    expect(html).toContain('Vazirmatn');
    expect(html).toContain('"1001"');
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect(html).not.toMatch(/<link\b/);
  });
});

describe('Gap sandbox: a phone number’s chat', () => {
  it('accepts sendMessage to a `+98…` chat id and records it under that id', async () => {
    const app = createGapSandbox({ token: TOKEN });
    expect((await send(app, { chat_id: '+989022002580', type: 'text', data: 'کد: 123456' })).status).toBe(200);
    expect(await messages(app, `chat_id=${encodeURIComponent('+989022002580')}`)).toMatchObject([
      { chat_id: '+989022002580', data: 'کد: 123456' },
    ]);
  });
});
