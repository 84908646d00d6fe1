import { describe, expect, it } from 'vitest';
import { gap } from '../../../src/channels/gap/index.ts';
import { parseGapUpdate } from '../../../src/channels/gap/parse.ts';
import { renderGapMessage } from '../../../src/channels/gap/render.ts';
import { ChannelError } from '../../../src/errors.ts';

const form = (fields: Record<string, string>) => ({
  contentType: 'application/x-www-form-urlencoded',
  text: new URLSearchParams(fields).toString(),
});
const from = JSON.stringify({ id: 4455, name: 'Ali', user: 'ali_r' });
const WINDOW_MS = 10_000;
const parse = (body: { contentType: string; text: string }) => parseGapUpdate(body, 1000, WINDOW_MS);

describe('the Gap adapter', () => {
  it('normalises a form-encoded text update, to be deduplicated by its content within the window', () => {
    const { event, dedupe } = parse(form({ chat_id: '38769282', type: 'text', data: 'سلام', from }));
    expect(event).toMatchObject({
      channel: 'gap',
      chatId: '38769282',
      userId: '4455',
      kind: 'text',
      text: 'سلام',
      button: null,
      contact: null,
      receivedAt: 1000,
    });
    expect(dedupe).toEqual({ basis: '38769282\ntext\nسلام', windowMs: WINDOW_MS });
  });

  it('accepts the same update as JSON, with a numeric chat id', () => {
    const body = {
      contentType: 'application/json',
      text: JSON.stringify({ chat_id: 38769282, type: 'text', data: 'منو' }),
    };
    expect(parse(body).event).toMatchObject({ chatId: '38769282', kind: 'text', text: 'منو', userId: null });
  });

  it('reads a JSON body that comes without its content type', () => {
    const body = { contentType: '', text: JSON.stringify({ chat_id: '7', type: 'text', data: 'سلام' }) };
    expect(parse(body).event).toMatchObject({ chatId: '7', kind: 'text', text: 'سلام' });
  });

  it('keys an inline button press by its callback id, with no window', () => {
    const data = JSON.stringify({ data: 'confirm:123', message_id: 97, callback_id: 'N7YcI5rAlX2sEFmh' });
    const { event, dedupe } = parse(form({ chat_id: '1', type: 'triggerButton', data, from }));
    expect(event).toMatchObject({ kind: 'button', button: { callbackId: 'N7YcI5rAlX2sEFmh', value: 'confirm:123' } });
    expect(dedupe).toEqual({ basis: 'callback\nN7YcI5rAlX2sEFmh', windowMs: null });
  });

  it('takes a shared contact card as a contact, its mobile in canonical form; whose it is, Gap cannot say', () => {
    const data = JSON.stringify({ name: 'Test User', phone: '+989120000000' });
    const { event, dedupe } = parse(form({ chat_id: '123123', type: 'contact', data, from }));
    expect(event).toMatchObject({
      kind: 'contact',
      text: null,
      button: null,
      contact: { phone: '09120000000', ownership: 'unknown' },
    });
    expect(dedupe.windowMs).toBe(WINDOW_MS);
    const foreign = JSON.stringify({ name: 'Test', phone: '+44 20 7946 0000' });
    expect(parse(form({ chat_id: '1', type: 'contact', data: foreign })).event.contact).toEqual({
      phone: '442079460000',
      ownership: 'unknown',
    });
  });

  it('takes join and unknown types as their own kinds', () => {
    expect(parse(form({ chat_id: '1', type: 'join', from })).event.kind).toBe('join');
    expect(parse(form({ chat_id: '1', type: 'image', data: '{}' })).event.kind).toBe('other');
  });

  it('hears an empty text, or one longer than any form answer, as something else rather than refusing it', () => {
    expect(parse(form({ chat_id: '1', type: 'text', data: '' })).event).toMatchObject({ kind: 'other', text: null });
    expect(parse(form({ chat_id: '1', type: 'text', data: 'x'.repeat(4097) })).event.kind).toBe('other');
  });

  it.each([
    ['no chat id', form({ type: 'text', data: 'x' })],
    ['a text without data', form({ chat_id: '1', type: 'text' })],
    ['a chat id that is not an id', form({ chat_id: '1; drop', type: 'text', data: 'x' })],
    ['a button whose data is not JSON', form({ chat_id: '1', type: 'triggerButton', data: '{' })],
    ['a contact whose data is not JSON', form({ chat_id: '1', type: 'contact', data: '{' })],
    ['a contact without a phone', form({ chat_id: '1', type: 'contact', data: '{"name":"x"}' })],
    ['a contact phone without a digit', form({ chat_id: '1', type: 'contact', data: '{"phone":"none"}' })],
    ['a JSON body that is not JSON', { contentType: 'application/json', text: '{"chat_id":' }],
    ['a JSON array', { contentType: 'application/json', text: '[]' }],
    [
      'a field given twice',
      { contentType: 'application/x-www-form-urlencoded', text: 'chat_id=1&chat_id=2&type=text&data=x' },
    ],
    [
      'data nested 10,000 levels deep',
      form({ chat_id: '1', type: 'triggerButton', data: `${'['.repeat(10_000)}${']'.repeat(10_000)}` }),
    ],
  ])('refuses %s with a ChannelError', (_name, body) => {
    expect(() => parse(body)).toThrow(ChannelError);
  });

  it('renders the menu as a reply keyboard that stays, and choices as inline buttons', () => {
    const fields = renderGapMessage('7', {
      text: 'منو',
      keyboard: [[{ label: 'نشانی از کد پستی', value: 'نشانی از کد پستی' }]],
      inline: [[{ label: 'بله', value: 'yes' }]],
    });
    expect(fields.get('chat_id')).toBe('7');
    expect(fields.get('type')).toBe('text');
    expect(JSON.parse(fields.get('reply_keyboard') ?? '')).toEqual({
      keyboard: [[{ 'نشانی از کد پستی': 'نشانی از کد پستی' }]],
      once: false,
      selective: false,
    });
    expect(JSON.parse(fields.get('inline_keyboard') ?? '')).toEqual([[{ text: 'بله', cb_data: 'yes' }]]);
  });

  it('acknowledges a button press with answerCallback, its token in the header, and rejects when Gap refuses', async () => {
    const calls: { url: string; token: string | null; body: string }[] = [];
    const statuses = [200, 403];
    const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push({ url: String(input), token: new Headers(init?.headers).get('token'), body: String(init?.body) });
      return new Response('{}', { status: statuses.shift() });
    }) as typeof fetch;
    const channel = gap(
      { GAP_BOT_TOKEN: 't'.repeat(64), GAP_WEBHOOK_SECRET: 's'.repeat(32), GAP_API_BASE: 'https://gap.test' },
      fetcher,
    );
    const pressed = parse(
      form({ chat_id: '7', type: 'triggerButton', data: JSON.stringify({ data: 'x', callback_id: 'cb1' }) }),
    ).event;
    await channel?.acknowledge?.({ ...pressed, dedupeKey: 'k' });
    expect(calls).toEqual([
      { url: 'https://gap.test/answerCallback', token: 't'.repeat(64), body: 'chat_id=7&callback_id=cb1' },
    ]);
    await expect(channel?.acknowledge?.({ ...pressed, dedupeKey: 'k' })).rejects.toThrow(ChannelError);
  });
});
