import { describe, expect, it } from 'vitest';
import { botApiChannel } from '../../../src/channels/bot-api/index.ts';
import { parseBotApiUpdate } from '../../../src/channels/bot-api/parse.ts';
import { renderBotApiMessages } from '../../../src/channels/bot-api/render.ts';
import { type BotApiSettings, sendBotApiMessage } from '../../../src/channels/bot-api/send.ts';
import { channelFactories } from '../../../src/channels/registry.ts';
import type { Channel, ChannelFactory } from '../../../src/channels/types.ts';
import { ChannelError, ConfigError } from '../../../src/errors.ts';
import type { InboundEvent } from '../../../src/types.ts';

const { soroush, bale } = channelFactories as Record<'soroush' | 'bale', ChannelFactory>;

const json = (text: string) => ({ contentType: 'application/json', text });
const parse = (text: string) => parseBotApiUpdate('soroush', json(text), 1000);
const BIG = '123456789012345678'; // beyond 2^53: a double would read 123456789012345680

/** A webhook secret of the length every messenger requires. */
const SECRET = 'a-webhook-secret-of-at-least-32-chars';
describe('the Bot API adapter: parsing', () => {
  it('normalises a text message, keyed by its update id with no window', () => {
    const { event, dedupe } = parse(
      '{"update_id":1001,"message":{"message_id":55,"date":1700000000,"chat":{"id":12345678,"type":"private"},' +
        '"from":{"id":12345678,"is_bot":false,"first_name":"علی"},"text":"/start"}}',
    );
    expect(event).toEqual({
      channel: 'soroush',
      chatId: '12345678',
      userId: '12345678',
      privateChat: true,
      kind: 'text',
      text: '/start',
      button: null,
      contact: null,
      receivedAt: 1000,
    });
    expect(dedupe).toEqual({ basis: 'update:1001', windowMs: null });
  });

  it.each([
    ['private', '{"id":7,"type":"private"}', '7', true],
    ['a group', '{"id":-100,"type":"group"}', '7', false],
    ['a supergroup', '{"id":-1007,"type":"supergroup"}', '7', false],
    ["Bale's channel", '{"id":-200,"type":"channel"}', '7', false],
    ["untyped, the sender's own", '{"id":7}', '7', true],
    ['untyped, another', '{"id":8}', '7', false],
  ])('tells %s chat from the others', (_, chat, from, expected) => {
    const message = parse(`{"update_id":1,"message":{"chat":${chat},"from":{"id":${from}},"text":"x"}}`);
    expect(message.event.privateChat).toBe(expected);
    const press = parse(
      `{"update_id":2,"callback_query":{"id":"c","from":{"id":${from}},"data":"x","message":{"chat":${chat}}}}`,
    );
    expect(press.event.privateChat).toBe(expected);
  });

  it('keeps chat, user and update ids beyond 2^53 exact, as strings', () => {
    const { event, dedupe } = parse(
      `{"update_id":${BIG},"message":{"chat":{"id":-${BIG}},"from":{"id":${BIG}},"text":"x"}}`,
    );
    expect(event.chatId).toBe(`-${BIG}`);
    expect(event.userId).toBe(BIG);
    expect(dedupe.basis).toBe(`update:${BIG}`);
  });

  it('takes an inline button press as a button event in the chat of its message', () => {
    const { event, dedupe } = parse(
      '{"update_id":1002,"callback_query":{"id":"cbq-1","from":{"id":12345678},"data":"confirm:123",' +
        '"message":{"message_id":56,"chat":{"id":87654321,"type":"private"}}}}',
    );
    expect(event).toMatchObject({ chatId: '87654321', userId: '12345678', kind: 'button', text: null });
    expect(event.button).toEqual({ callbackId: 'cbq-1', value: 'confirm:123' });
    expect(dedupe).toEqual({ basis: 'update:1002', windowMs: null });
  });

  it.each([
    ['own', '"user_id":12345678', 'own'],
    ['someone else’s', '"user_id":99999999', 'other'],
    ['an unnamed', '"first_name":"علی"', 'unknown'],
  ] as const)('takes %s contact card as a contact, its mobile in canonical form', (_name, owner, ownership) => {
    const { event } = parse(
      `{"update_id":1003,"message":{"message_id":57,"chat":{"id":12345678},"from":{"id":12345678},` +
        `"contact":{"phone_number":"989121234567",${owner}}}}`,
    );
    expect(event).toMatchObject({ kind: 'contact', text: null, contact: { phone: '09121234567', ownership } });
  });

  it('keeps a phone that is no Iranian mobile as its digits, and cannot tell whose it is without a sender', () => {
    const { event } = parse(
      '{"update_id":1,"message":{"chat":{"id":5},"contact":{"phone_number":"+44 20 7946 0000","user_id":5}}}',
    );
    expect(event.contact).toEqual({ phone: '442079460000', ownership: 'unknown' });
  });

  it('takes a photo, an over-long text, a press without data and an edited message as other', () => {
    const other = (text: string) => parse(text).event;
    expect(
      other('{"update_id":1,"message":{"chat":{"id":5},"photo":[{"file_id":"AgAD","width":90,"height":90}]}}'),
    ).toMatchObject({
      kind: 'other',
      chatId: '5',
    });
    expect(other(`{"update_id":1,"message":{"chat":{"id":5},"text":"${'ا'.repeat(4097)}"}}`)).toMatchObject({
      kind: 'other',
      text: null,
    });
    expect(other('{"update_id":1,"callback_query":{"id":"c","from":{"id":5},"message":{"chat":{"id":5}}}}').kind).toBe(
      'other',
    );
    expect(other('{"update_id":1,"edited_message":{"chat":{"id":7},"from":{"id":8},"text":"x"}}')).toMatchObject({
      kind: 'other',
      chatId: '7',
      userId: '8',
    });
    expect(other('{"update_id":1,"my_chat_member":{"chat":{"id":9},"from":{"id":9}}}').chatId).toBe('9');
  });

  it.each([
    ['a body that is not JSON', '{"update_id":'],
    ['a JSON array', '[]'],
    ['no update id', '{"message":{"chat":{"id":1},"text":"x"}}'],
    ['a negative update id', '{"update_id":-1,"message":{"chat":{"id":1},"text":"x"}}'],
    ['a message without a chat', '{"update_id":1,"message":{"text":"x"}}'],
    ['a chat id that is not an integer', '{"update_id":1,"message":{"chat":{"id":1.5},"text":"x"}}'],
    ['a press without its message', '{"update_id":1,"callback_query":{"id":"c","from":{"id":5},"data":"x"}}'],
    ['a contact without a digit', '{"update_id":1,"message":{"chat":{"id":1},"contact":{"phone_number":"none"}}}'],
    ['an update that names no chat', '{"update_id":1,"poll":{"id":"p"}}'],
  ])('refuses %s with a ChannelError', (_name, text) => {
    expect(() => parse(text)).toThrow(ChannelError);
  });

  it('names the invalid field in its error, never the value', () => {
    expect(() => parse('{"update_id":1,"message":{"chat":{"id":"09121234567x"},"text":"x"}}')).toThrow(
      expect.objectContaining({ reason: 'update.message.chat.id is invalid' }),
    );
  });
});

describe('the Bot API adapter: rendering', () => {
  const menu = [
    [
      { label: 'نشانی از کد پستی', value: 'نشانی از کد پستی' },
      { label: 'استعلام قبض', value: 'استعلام قبض' },
    ],
  ];

  it('renders the menu as a reply keyboard that stays and fits its buttons', () => {
    expect(renderBotApiMessages('7', { text: 'منو', keyboard: menu }, 4096)).toEqual([
      {
        chat_id: '7',
        text: 'منو',
        reply_markup: {
          keyboard: [[{ text: 'نشانی از کد پستی' }, { text: 'استعلام قبض' }]],
          resize_keyboard: true,
          one_time_keyboard: false,
        },
      },
    ]);
  });

  it('renders choices as inline buttons carrying their values', () => {
    const [message] = renderBotApiMessages('7', { text: 'کدام؟', inline: [[{ label: 'خودرو', value: 'car' }]] }, 4096);
    expect(message?.reply_markup).toEqual({ inline_keyboard: [[{ text: 'خودرو', callback_data: 'car' }]] });
  });

  it('sends a reply with both on two messages: the keyboard before, the buttons with the closing paragraph', () => {
    const reply = {
      text: 'سامانه پاسخ نداد.\n\nخدمت را انتخاب کنید.',
      keyboard: menu,
      inline: [[{ label: 'تلاش دوباره', value: '/retry' }]],
    };
    const messages = renderBotApiMessages('7', reply, 4096);
    expect(messages.map((m) => m.text)).toEqual(['سامانه پاسخ نداد.', 'خدمت را انتخاب کنید.']);
    expect(messages[0]?.reply_markup).toHaveProperty('keyboard');
    expect(messages[1]?.reply_markup).toEqual({
      inline_keyboard: [[{ text: 'تلاش دوباره', callback_data: '/retry' }]],
    });
    // One paragraph: the buttons the citizen must press win.
    const single = renderBotApiMessages('7', { ...reply, text: 'کدام؟' }, 4096);
    expect(single).toHaveLength(1);
    expect(single[0]?.reply_markup).toHaveProperty('inline_keyboard');
  });

  it('splits a long text under the limit, the keyboard on the last part', () => {
    const text = 'نشانی: خیابان آزادی، کوچه‌ی ۱۲، پلاک ۳۴ '.repeat(300).trim();
    const messages = renderBotApiMessages('7', { text, keyboard: menu }, 4000);
    expect(messages.length).toBeGreaterThan(2);
    for (const message of messages) expect(message.text.length).toBeLessThanOrEqual(4000);
    expect(messages.map((m) => m.text).join(' ')).toBe(text);
    expect(messages.slice(0, -1).every((m) => m.reply_markup === undefined)).toBe(true);
    expect(messages.at(-1)?.reply_markup).toHaveProperty('keyboard');
  });
});

/** A fake Bot API: answers from a script, and keeps what it was sent. */
function fakeApi(...answers: (() => Response)[]) {
  const calls: { url: string; body: string }[] = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), body: String(init?.body) });
    const next = answers.shift();
    if (!next) throw new Error('unexpected call');
    return next();
  }) as typeof fetch;
  return { calls, fetcher };
}
const ok = (messageId: number) => () =>
  Response.json({ ok: true, result: { message_id: messageId, chat: { id: 1 }, date: 1, text: 'x' } });
const refused =
  (status: number, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
  () =>
    Response.json({ ok: false, error_code: status, description: 'refused', ...extra }, { status, headers });
const settings: BotApiSettings = { channel: 'bale', apiBase: 'https://api.test', token: '1:abc', textLimit: 4096 };

describe('the Bot API adapter: sending', () => {
  it('posts JSON to bot<token>/sendMessage, the chat id as an exact integer, and keeps the message id', async () => {
    const api = fakeApi(ok(77));
    const result = await sendBotApiMessage(settings, api.fetcher, BIG, { text: 'سلام' });
    expect(result).toEqual({ ok: true, remoteId: '77' });
    expect(api.calls[0]?.url).toBe('https://api.test/bot1:abc/sendMessage');
    expect(api.calls[0]?.body).toBe(`{"chat_id":${BIG},"text":"سلام"}`);
  });

  it('reads the wait of a 429 from parameters.retry_after in the body', async () => {
    const result = await sendBotApiMessage(
      settings,
      fakeApi(refused(429, { parameters: { retry_after: 3 } })).fetcher,
      '1',
      { text: 'x' },
    );
    expect(result).toEqual({ ok: false, status: 429, retryable: true, retryAfterMs: 3000 });
  });

  it('retries a 5xx, with the Retry-After header when the body says nothing', async () => {
    const result = await sendBotApiMessage(settings, fakeApi(refused(502, {}, { 'retry-after': '2' })).fetcher, '1', {
      text: 'x',
    });
    expect(result).toEqual({ ok: false, status: 502, retryable: true, retryAfterMs: 2000 });
    const html = () => new Response('<html>bad gateway</html>', { status: 503 });
    expect(await sendBotApiMessage(settings, fakeApi(html).fetcher, '1', { text: 'x' })).toMatchObject({
      retryable: true,
      retryAfterMs: null,
    });
  });

  it('does not retry a 4xx refusal', async () => {
    const result = await sendBotApiMessage(settings, fakeApi(refused(403)).fetcher, '1', { text: 'x' });
    expect(result).toEqual({ ok: false, status: 403, retryable: false, retryAfterMs: null });
  });

  it('takes a failed connection for an ambiguous, retryable failure, keeping the network error', async () => {
    const network = new TypeError('network');
    const fetcher = (async () => {
      throw network;
    }) as typeof fetch;
    expect(await sendBotApiMessage(settings, fetcher, '1', { text: 'x' })).toEqual({
      ok: false,
      status: null,
      retryable: true,
      retryAfterMs: null,
      cause: network,
    });
  });

  it('waits out a brief refusal of a later part in place, so the parts already sent are not sent again', async () => {
    const text = 'واژه '.repeat(40).trim();
    const api = fakeApi(ok(1), refused(429, { parameters: { retry_after: 0 } }), ok(2), ok(3));
    const result = await sendBotApiMessage({ ...settings, textLimit: 80 }, api.fetcher, '1', { text });
    expect(result).toEqual({ ok: true, remoteId: '3' });
    expect(api.calls).toHaveLength(4);
  });
});

describe('the Bot API family: configuration', () => {
  const env = (vars: Record<string, string>) => vars;
  const S = SECRET;
  const fetcher = fakeApi().fetcher;
  const event = (button: InboundEvent['button']): InboundEvent => ({
    channel: 'bale',
    chatId: '5',
    userId: '5',
    privateChat: true,
    kind: button ? 'button' : 'text',
    text: null,
    button,
    contact: null,
    dedupeKey: 'k',
    receivedAt: 0,
  });

  it('turns a messenger on by its token, with its own variables and API base', async () => {
    expect(soroush(env({}), fetcher)).toBeNull();
    const on = soroush(env({ SOROUSH_BOT_TOKEN: '1:abc', SOROUSH_WEBHOOK_SECRET: S }), fetcher);
    expect(on).toMatchObject({ id: 'soroush', webhookSecrets: [S] });
    expect(on?.verify).toBeUndefined();
    expect(bale(env({ SOROUSH_BOT_TOKEN: '1:abc', SOROUSH_WEBHOOK_SECRET: S }), fetcher)).toBeNull();
    const api = fakeApi(ok(1));
    await bale(env({ BALE_BOT_TOKEN: '2:def', BALE_WEBHOOK_SECRET: S }), api.fetcher)?.send('5', { text: 'x' });
    expect(api.calls[0]?.url).toBe('https://tapi.bale.ai/bot2:def/sendMessage');
  });

  it('a third messenger of the family is its name, its address and its limit', () => {
    const other = botApiChannel({ id: 'other', apiBase: 'https://other.test', textLimit: 4096 });
    expect(other(env({ OTHER_BOT_TOKEN: '3:ghi', OTHER_WEBHOOK_SECRET: S }), fetcher)?.id).toBe('other');
  });

  it('names what is missing or malformed, never the values', () => {
    expect(() => bale(env({ BALE_BOT_TOKEN: '2:def' }), fetcher)).toThrow(
      expect.objectContaining({ variables: ['BALE_WEBHOOK_SECRET'] }),
    );
    expect(() => bale(env({ BALE_BOT_TOKEN: '2:def', BALE_WEBHOOK_SECRET: 'short' }), fetcher)).toThrow(
      expect.objectContaining({ variables: ['BALE_WEBHOOK_SECRET'] }),
    );
    expect(() =>
      bale(env({ BALE_BOT_TOKEN: '2:def', BALE_WEBHOOK_SECRET: S, BALE_API_BASE: 'nope' }), fetcher),
    ).toThrow(ConfigError);
    expect(() =>
      bale(env({ BALE_BOT_TOKEN: '2:def', BALE_WEBHOOK_SECRET: S, BALE_SECRET_TOKEN: 'no spaces' }), fetcher),
    ).toThrow(expect.objectContaining({ variables: ['BALE_SECRET_TOKEN'] }));
  });

  it('checks the secret-token header only when one is configured', async () => {
    const channel = bale(
      env({ BALE_BOT_TOKEN: '2:def', BALE_WEBHOOK_SECRET: S, BALE_SECRET_TOKEN: 'tok_1' }),
      fetcher,
    ) as Channel;
    expect(channel.verify?.(new Headers({ 'X-Telegram-Bot-Api-Secret-Token': 'tok_1' }))).toBe(true);
    expect(channel.verify?.(new Headers({ 'X-Telegram-Bot-Api-Secret-Token': 'tok_2' }))).toBe(false);
    expect(channel.verify?.(new Headers())).toBe(false);
  });

  it('acknowledges a button press with answerCallbackQuery, and rejects when the messenger refuses', async () => {
    const api = fakeApi(() => Response.json({ ok: true, result: true }), refused(400));
    const channel = bale(env({ BALE_BOT_TOKEN: '2:def', BALE_WEBHOOK_SECRET: S }), api.fetcher) as Channel;
    await channel.acknowledge?.(event({ callbackId: 'cbq-1', value: 'x' }));
    expect(api.calls[0]).toEqual({
      url: 'https://tapi.bale.ai/bot2:def/answerCallbackQuery',
      body: '{"callback_query_id":"cbq-1"}',
    });
    await expect(channel.acknowledge?.(event({ callbackId: 'cbq-2', value: 'x' }))).rejects.toThrow(ChannelError);
    await channel.acknowledge?.(event(null)); // nothing to acknowledge: no call
    expect(api.calls).toHaveLength(2);
  });
});
