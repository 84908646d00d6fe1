import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { soroushLegacy } from '../../../src/channels/soroush-legacy/index.ts';
import { CHOICE_MARK, parseSoroushLegacyMessage } from '../../../src/channels/soroush-legacy/parse.ts';
import { renderSoroushLegacyMessages } from '../../../src/channels/soroush-legacy/render.ts';
import { type SoroushLegacySettings, sendSoroushLegacyMessage } from '../../../src/channels/soroush-legacy/send.ts';
import { ChannelError, ConfigError } from '../../../src/errors.ts';

const FROM = 'GrAsMSI1kgbGrza8OrWWyhaQrOt6J4oCbXBHtAWSaNaCNw7VnlPboGhYut1';
const message = (fields: Record<string, unknown>, eventId?: string) => ({
  contentType: 'application/json',
  text: JSON.stringify({ from: FROM, to: 'bot', time: '1538399819589', ...fields }),
  ...(eventId !== undefined && { eventId }),
});
const parse = (fields: Record<string, unknown>, eventId?: string) =>
  parseSoroushLegacyMessage(message(fields, eventId), 1000, 10_000);

describe('Soroush legacy: parsing a stream message', () => {
  it('normalises a text message from its sender, the sender being the chat', () => {
    expect(parse({ type: 'TEXT', body: 'سلام' })?.event).toEqual({
      channel: 'soroush-legacy',
      chatId: FROM,
      userId: FROM,
      privateChat: true,
      kind: 'text',
      text: 'سلام',
      button: null,
      contact: null,
      receivedAt: 1000,
    });
  });

  it('hears a press on a reply-keyboard word as its text, and on a marked choice as a button', () => {
    expect(parse({ type: 'TEXT', body: 'منو' })?.event).toMatchObject({ kind: 'text', text: 'منو' });
    expect(parse({ type: 'TEXT', body: `${CHOICE_MARK}yes` })?.event).toMatchObject({
      kind: 'button',
      text: null,
      button: { callbackId: '', value: 'yes' },
    });
    expect(parse({ type: 'TEXT', body: CHOICE_MARK })?.event.kind).toBe('other');
  });

  it('takes START for a join, and a contact card for a contact in canonical form, whose owner is unknown', () => {
    expect(parse({ type: 'START' })?.event.kind).toBe('join');
    for (const phoneNo of [989121234567, '989121234567', '+98 912 123 4567']) {
      expect(parse({ type: 'FILE', fileType: 'CONTACT', nickName: 'Ali', phoneNo })?.event).toMatchObject({
        kind: 'contact',
        contact: { phone: '09121234567', ownership: 'unknown' },
      });
    }
  });

  it('takes other files, locations, empty and over-long texts as other', () => {
    expect(parse({ type: 'FILE', fileType: 'IMAGE', fileUrl: 'f1', body: 'رسید' })?.event.kind).toBe('other');
    expect(parse({ type: 'LOCATION', latitude: 35.7, longitude: 51.3, body: '' })?.event.kind).toBe('other');
    expect(parse({ type: 'TEXT' })?.event.kind).toBe('other');
    expect(parse({ type: 'TEXT', body: 'ا'.repeat(4097) })?.event.kind).toBe('other');
  });

  it('drops notices (stop, seen, keyboard change, information, unknown types): answering them could loop', () => {
    for (const type of ['STOP', 'SELF_SEEN', 'CHANGE', 'INFORMATION', 'TYPING']) expect(parse({ type })).toBeNull();
  });

  it('dedupes on the message with its time, else on its SSE id with it, else on the message in a window', () => {
    const timed = parse({ type: 'TEXT', body: 'x' }, '17');
    expect(timed?.dedupe).toEqual({ basis: `time\n1538399819589\n${FROM}\nTEXT\nx\n`, windowMs: null });
    // A replay under another id is the same message; another message under the same id is not.
    expect(parse({ type: 'TEXT', body: 'x' }, '3')?.dedupe).toEqual(timed?.dedupe);
    expect(parse({ type: 'TEXT', body: 'y' }, '17')?.dedupe.basis).not.toBe(timed?.dedupe.basis);
    expect(parse({ type: 'TEXT', body: 'x', time: null }, '17')?.dedupe).toEqual({
      basis: `event\n17\n${FROM}\nTEXT\nx\n`,
      windowMs: null,
    });
    expect(parse({ type: 'TEXT', body: 'x', time: null })?.dedupe).toEqual({
      basis: `content\n${FROM}\nTEXT\nx\n`,
      windowMs: 10_000,
    });
  });

  it('refuses malformed messages with a ChannelError that names the field, never the value', () => {
    const refuse = (text: string) => () => parseSoroushLegacyMessage({ contentType: 'application/json', text }, 0, 0);
    expect(refuse('not json')).toThrow(ChannelError);
    expect(refuse('[]')).toThrow(ChannelError);
    expect(refuse('{"type":"TEXT","body":"x"}')).toThrow(/message\.from is invalid/);
    expect(refuse('{"type":"TEXT","from":"has space","body":"x"}')).toThrow(ChannelError);
    expect(refuse(`{"type":"TEXT","from":"${FROM}","body":5}`)).toThrow(/message\.body is invalid/);
    expect(refuse(`{"type":"FILE","fileType":"CONTACT","from":"${FROM}","phoneNo":"none"}`)).toThrow(/phoneNo/);
    expect(refuse(`{"type":"FILE","fileType":"CONTACT","from":"${FROM}","phoneNo":"none"}`)).not.toThrow(/none/);
  });
});

describe('Soroush legacy: rendering', () => {
  const menu = [
    [
      { label: 'نشانی از کد پستی', value: 'نشانی از کد پستی' },
      { label: 'قبض', value: 'قبض' },
    ],
  ];

  it('renders a text with the menu as command buttons that send their words back', () => {
    expect(renderSoroushLegacyMessages('u1', { text: 'منو', keyboard: menu }, 4096, 1700000000000)).toEqual([
      {
        type: 'TEXT',
        to: 'u1',
        body: 'منو',
        time: '1700000000000',
        keyboard: [
          [
            { text: 'نشانی از کد پستی', command: 'نشانی از کد پستی' },
            { text: 'قبض', command: 'قبض' },
          ],
        ],
      },
    ]);
  });

  it('puts the choices first, their commands marked, and the form words after them on one keyboard', () => {
    const [rendered] = renderSoroushLegacyMessages(
      'u1',
      { text: 'کدام؟', inline: [[{ label: 'بله', value: 'yes' }]], keyboard: [[{ label: 'لغو', value: 'لغو' }]] },
      4096,
      0,
    );
    expect(rendered?.keyboard).toEqual([
      [{ text: 'بله', command: `${CHOICE_MARK}yes` }],
      [{ text: 'لغو', command: 'لغو' }],
    ]);
  });

  it('sends no keyboard for a reply without buttons, and splits a long text with the keyboard on the last part', () => {
    expect(renderSoroushLegacyMessages('u1', { text: 'x' }, 4096, 0)[0]).not.toHaveProperty('keyboard');
    const parts = renderSoroushLegacyMessages('u1', { text: 'واژه '.repeat(40).trim(), keyboard: menu }, 80, 0);
    expect(parts.length).toBeGreaterThan(1);
    expect(parts.every((part) => part.body.length <= 80)).toBe(true);
    expect(parts.map((part) => part.keyboard !== undefined)).toEqual([...Array(parts.length - 1).fill(false), true]);
  });
});

type Answer = () => Response;
function fakeApi(...answers: Answer[]) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init });
    const next = answers.shift() ?? (() => Response.json({ resultCode: 200, resultMessage: 'OK' }));
    return next();
  }) as typeof fetch;
  return { calls, fetcher };
}
const ok: Answer = () => Response.json({ resultCode: 200, resultMessage: 'OK' });
const settings: SoroushLegacySettings = { apiBase: 'https://bot.test', token: 'tok', textLimit: 4096 };

describe('Soroush legacy: sending', () => {
  it('posts the JSON message to <token>/sendMessage and reads resultCode 200 as sent', async () => {
    const api = fakeApi(ok);
    expect(await sendSoroushLegacyMessage(settings, api.fetcher, 'u1', { text: 'سلام' })).toEqual({
      ok: true,
      remoteId: null,
    });
    expect(api.calls[0]?.url).toBe('https://bot.test/tok/sendMessage');
    expect(JSON.parse(String(api.calls[0]?.init?.body))).toMatchObject({ type: 'TEXT', to: 'u1', body: 'سلام' });
    expect(api.calls[0]?.init?.redirect).toBe('manual');
  });

  it('retries 429, 503, 301 and other 5xx (with Retry-After), and not a 4xx or a resultCode refusal', async () => {
    const status =
      (code: number, headers: Record<string, string> = {}) =>
      () =>
        new Response(null, { status: code, headers });
    const send = (answer: Answer) => sendSoroushLegacyMessage(settings, fakeApi(answer).fetcher, 'u1', { text: 'x' });
    expect(await send(status(429, { 'retry-after': '2' }))).toEqual({
      ok: false,
      status: 429,
      retryable: true,
      retryAfterMs: 2000,
    });
    expect(await send(status(503))).toEqual({ ok: false, status: 503, retryable: true, retryAfterMs: null });
    expect(await send(status(502))).toMatchObject({ retryable: true });
    expect(await send(status(301, { location: '/x' }))).toMatchObject({ status: 301, retryable: true });
    expect(await send(status(400))).toEqual({ ok: false, status: 400, retryable: false, retryAfterMs: null });
    expect(await send(() => Response.json({ resultCode: 403, resultMessage: 'forbidden' }))).toEqual({
      ok: false,
      status: 403,
      retryable: false,
      retryAfterMs: null,
    });
    expect(await send(() => Response.json({ resultCode: 503, resultMessage: 'busy' }))).toMatchObject({
      retryable: true,
    });
  });

  it('takes a failed connection for an ambiguous, retryable failure, keeping the network error', async () => {
    const network = new TypeError('network');
    const fetcher = (async () => {
      throw network;
    }) as typeof fetch;
    expect(await sendSoroushLegacyMessage(settings, fetcher, 'u1', { text: 'x' })).toEqual({
      ok: false,
      status: null,
      retryable: true,
      retryAfterMs: null,
      cause: network,
    });
  });

  it('waits out a brief refusal of a later part in place, so the parts already sent are not sent again', async () => {
    const text = 'واژه '.repeat(40).trim();
    const api = fakeApi(ok, () => new Response(null, { status: 429, headers: { 'retry-after': '0' } }), ok, ok);
    expect(await sendSoroushLegacyMessage({ ...settings, textLimit: 80 }, api.fetcher, 'u1', { text })).toEqual({
      ok: true,
      remoteId: null,
    });
    expect(api.calls).toHaveLength(4);
  });
});

describe('Soroush legacy: configuration', () => {
  const fetcher = fakeApi().fetcher;

  it('is off without its token, and calls no webhook but reads a stream when on', () => {
    expect(soroushLegacy({}, fetcher)).toBeNull();
    const on = soroushLegacy({ SOROUSH_LEGACY_BOT_TOKEN: 'tok' }, fetcher);
    expect(on).toMatchObject({ id: 'soroush-legacy', webhookSecrets: [] });
    expect(on?.stream).toBeDefined();
    expect(on?.acknowledge).toBeUndefined();
  });

  it('has no webhook: its path answers 404, as an unknown one does', async () => {
    const app = createApp({ waitUntil: () => {} });
    const env = { SOROUSH_LEGACY_BOT_TOKEN: 'tok' };
    const post = (path: string) => app.request(path, { method: 'POST', body: '{}' }, env);
    const legacy = await post('/webhooks/soroush-legacy/anything');
    const unknown = await post('/webhooks/nobody/anything');
    expect(legacy.status).toBe(404);
    expect(await legacy.text()).toBe(await unknown.text());
  });

  it('opens the stream at the configured base with Last-Event-ID when it has one', async () => {
    const api = fakeApi(() => new Response('', { headers: { 'content-type': 'text/event-stream' } }));
    const channel = soroushLegacy(
      { SOROUSH_LEGACY_BOT_TOKEN: 'tok', SOROUSH_LEGACY_API_BASE: 'http://127.0.0.1:9/' },
      api.fetcher,
    );
    const stop = new AbortController();
    const reading = channel?.stream?.read({
      signal: stop.signal,
      lastEventId: '41',
      lastMessageAt: Date.now(),
      deliver: async () => {},
      progressed: () => {},
    });
    await expect.poll(() => api.calls.length).toBeGreaterThan(0);
    stop.abort();
    await reading;
    expect(api.calls[0]?.url).toBe('http://127.0.0.1:9/tok/getMessage');
    expect(new Headers(api.calls[0]?.init?.headers).get('last-event-id')).toBe('41');
  });

  it('names what is malformed, never the values', () => {
    expect(() => soroushLegacy({ SOROUSH_LEGACY_BOT_TOKEN: 'a/b' }, fetcher)).toThrow(
      expect.objectContaining({ variables: ['SOROUSH_LEGACY_BOT_TOKEN'] }),
    );
    expect(() =>
      soroushLegacy({ SOROUSH_LEGACY_BOT_TOKEN: 'tok', SOROUSH_LEGACY_IDLE_RECONNECT_S: '0' }, fetcher),
    ).toThrow(ConfigError);
    expect(() => soroushLegacy({ SOROUSH_LEGACY_BOT_TOKEN: 'tok', SOROUSH_LEGACY_API_BASE: 'nope' }, fetcher)).toThrow(
      expect.objectContaining({ variables: ['SOROUSH_LEGACY_API_BASE'] }),
    );
  });
});
