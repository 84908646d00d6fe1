import { describe, expect, it } from 'vitest';
import { createSoroushLegacySandbox, type LegacyBotMessage } from '../../../dev/sandboxes/soroush-legacy/index.ts';

const TOKEN = 'legacy-sandbox-token';
type App = ReturnType<typeof createSoroushLegacySandbox>;

const postJson = (app: App, path: string, body: unknown) =>
  app.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const send = (app: App, body: Record<string, unknown>, token = TOKEN) => postJson(app, `/${token}/sendMessage`, body);
const deliver = (app: App, body: Record<string, unknown>) => postJson(app, '/_sandbox/deliver', body);

async function messages(app: App, query = ''): Promise<LegacyBotMessage[]> {
  const res = await app.request(`/_sandbox/messages?${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { messages: LegacyBotMessage[] }).messages;
}

/** Reads a stream until `count` events have come (or it ends), then lets it go. */
async function readEvents(res: Response, count: number): Promise<string> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  while (text.split('\n\n').length - 1 < count) {
    const { done, value } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return text;
}

describe('Soroush legacy sandbox: sending', () => {
  it('accepts sendMessage with the token in the path, answers resultCode 200, and records it with its keyboard', async () => {
    const app = createSoroushLegacySandbox({ token: TOKEN });
    const keyboard = [[{ text: 'منو', command: 'منو' }]];
    const res = await send(app, { type: 'TEXT', to: 'u1', body: 'سلام', time: '1', keyboard });
    expect(await res.json()).toEqual({ resultCode: 200, resultMessage: 'OK' });
    await send(app, { type: 'TEXT', to: 'u2', body: 'other' });
    expect(await messages(app, 'to=u1')).toMatchObject([
      { side: 'bot', to: 'u1', type: 'TEXT', body: 'سلام', keyboard },
    ]);
    expect(await messages(app)).toHaveLength(2);
  });

  it('refuses a wrong token with 401, and malformed, empty or over-long messages with 400', async () => {
    const app = createSoroushLegacySandbox({ token: TOKEN, textLimit: 10 });
    expect((await send(app, { type: 'TEXT', to: 'u1', body: 'x' }, 'wrong')).status).toBe(401);
    expect((await send(app, { type: 'TEXT', body: 'x' })).status).toBe(400);
    expect((await send(app, { type: 'TEXT', to: 'u1', body: ' ' })).status).toBe(400);
    expect((await send(app, { type: 'TEXT', to: 'u1', body: 'x'.repeat(11) })).status).toBe(400);
    expect((await send(app, { type: 'TEXT', to: 'u1', body: 'x', keyboard: [[{ text: 'a' }]] })).status).toBe(400);
    expect((await app.request(`/${TOKEN}/uploadFile`, { method: 'POST' })).status).toBe(404);
    expect(await messages(app)).toEqual([]);
  });

  it('injects faults per recipient: an HTTP status with Retry-After, a resultCode refusal, a late answer', async () => {
    const app = createSoroushLegacySandbox({ token: TOKEN });
    expect((await postJson(app, '/_sandbox/faults', { status: 429, retryAfter: 2, to: 'u1' })).status).toBe(200);
    expect((await postJson(app, '/_sandbox/faults', { resultCode: 403, to: 'u2' })).status).toBe(200);
    expect((await postJson(app, '/_sandbox/faults', { timeoutMs: 50, to: 'u3' })).status).toBe(200);
    expect((await postJson(app, '/_sandbox/faults', { nonsense: 1 })).status).toBe(400);
    const limited = await send(app, { type: 'TEXT', to: 'u1', body: 'x' });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '2']);
    expect(await (await send(app, { type: 'TEXT', to: 'u2', body: 'x' })).json()).toMatchObject({ resultCode: 403 });
    const started = Date.now();
    expect((await send(app, { type: 'TEXT', to: 'u3', body: 'x' })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
    expect((await send(app, { type: 'TEXT', to: 'u1', body: 'again' })).status).toBe(200);
    expect((await messages(app)).map((m) => m.to)).toEqual(['u3', 'u1']);
  });
});

describe('Soroush legacy sandbox: the stream', () => {
  it('serves the messages pushed into it as SSE events with ids, the sandbox stamping the time', async () => {
    const app = createSoroushLegacySandbox({ token: TOKEN, retryMs: 1500 });
    expect(await (await deliver(app, { from: 'u1', body: 'سلام' })).json()).toEqual({ event: 1, streams: 0 });
    const res = await app.request(`/${TOKEN}/getMessage`);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const text = await readEvents(res, 2);
    expect(text).toMatch(/^retry: 1500\n\nid: 1\ndata: \{"from":"u1","type":"TEXT","body":"سلام","time":"\d+"\}\n\n$/);
  });

  it('replays what came after Last-Event-ID; without it, only what no stream has carried', async () => {
    const app = createSoroushLegacySandbox({ token: TOKEN });
    for (const body of ['a', 'b', 'c']) await deliver(app, { from: 'u1', body, time: null });
    expect(await readEvents(await app.request(`/${TOKEN}/getMessage`), 3)).toContain('id: 3');
    const resumed = await readEvents(
      await app.request(`/${TOKEN}/getMessage`, { headers: { 'last-event-id': '1' } }),
      2,
    );
    expect(resumed).toBe(
      'id: 2\ndata: {"from":"u1","type":"TEXT","body":"b"}\n\nid: 3\ndata: {"from":"u1","type":"TEXT","body":"c"}\n\n',
    );
    await deliver(app, { from: 'u1', body: 'd', time: null });
    expect(await readEvents(await app.request(`/${TOKEN}/getMessage`), 1)).toContain('"body":"d"');
  });

  it('puts raw data on the stream as it is, one data line per line, and leaves ids out when told', async () => {
    const app = createSoroushLegacySandbox({ token: TOKEN, eventIds: false });
    await deliver(app, { raw: 'not json\nsecond line' });
    expect(await readEvents(await app.request(`/${TOKEN}/getMessage`), 1)).toBe(
      'data: not json\ndata: second line\n\n',
    );
    expect((await deliver(app, { body: 'no sender' })).status).toBe(400);
  });

  it('answers a wrong token with an open empty stream by default, or a 401, or a stream that ends at once', async () => {
    const silent = createSoroushLegacySandbox({ token: TOKEN });
    const res = await silent.request('/wrong/getMessage');
    expect(res.status).toBe(200);
    await deliver(silent, { from: 'u1', body: 'x' });
    const reader = res.body!.getReader();
    const nothing = await Promise.race([
      reader.read(),
      new Promise((resolve) => setTimeout(() => resolve('waiting'), 100)),
    ]);
    expect(nothing).toBe('waiting');
    await reader.cancel();
    const streams = await (await silent.request('/_sandbox/streams')).json();
    expect(streams).toMatchObject({ open: 0, connections: [{ validToken: false, lastEventId: null }] });

    const refusing = createSoroushLegacySandbox({ token: TOKEN, wrongToken: 'refuse' });
    expect((await refusing.request('/wrong/getMessage')).status).toBe(401);
    const closing = createSoroushLegacySandbox({ token: TOKEN, wrongToken: 'close' });
    expect(await (await closing.request('/wrong/getMessage')).text()).toBe('');
  });

  it('drops every open stream on demand: closed, or silently abandoned', async () => {
    const app = createSoroushLegacySandbox({ token: TOKEN });
    const first = await app.request(`/${TOKEN}/getMessage`);
    expect(await (await postJson(app, '/_sandbox/drop', {})).json()).toEqual({ dropped: 1 });
    expect(await first.text()).toBe('');
    const second = await app.request(`/${TOKEN}/getMessage`);
    expect(await (await postJson(app, '/_sandbox/drop', { mode: 'silent' })).json()).toEqual({ dropped: 1 });
    // Abandoned: the message waits for the next stream, and the abandoned one says nothing.
    expect(await (await deliver(app, { from: 'u1', body: 'x' })).json()).toMatchObject({ streams: 0 });
    await second.body?.cancel();
    expect((await postJson(app, '/_sandbox/drop', { mode: 'sideways' })).status).toBe(400);
  });
});
