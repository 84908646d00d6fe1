/**
 * Hostile bodies get a 4xx, never a 200 or a 500: bytes that are not UTF-8, a field given twice,
 * JSON nested past any update's depth, a file where an update should be. And where a messenger's
 * content type is not confirmed, a real update is not dropped for a wrong guess.
 */

import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { stringifyExact } from '../../src/channels/exact-json.ts';
import { fa } from '../../src/i18n/fa.ts';
import { fixtures, newChatId as newBotApiChatId, waitForMessages as waitForBale } from './bot-api.ts';
import { newChatId, postBody, webhookUrl } from './gap.ts';

/** Bytes posted as they are, for bodies that are not valid text. */
function postBytes(bytes: Uint8Array, contentType: string): Promise<Response> {
  return exports.default.fetch(webhookUrl(), { method: 'POST', headers: { 'content-type': contentType }, body: bytes });
}

describe('hostile webhook bodies', () => {
  it('answers 400 to a body that is not valid UTF-8', async () => {
    const prefix = new TextEncoder().encode('{"chat_id":"1","type":"text","data":"');
    const body = new Uint8Array([...prefix, 0xff, 0xfe, 0x22, 0x7d]);
    const response = await postBytes(body, 'application/json');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'body is not valid UTF-8' });
  });

  it('answers 400 to a form that gives chat_id twice', async () => {
    const response = await postBody('chat_id=1&chat_id=2&type=text&data=x', 'application/x-www-form-urlencoded');
    expect(response.status).toBe(400);
  });

  it('answers 400 to a field holding JSON nested 10,000 levels deep', async () => {
    const data = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const body = new URLSearchParams({ chat_id: '1', type: 'triggerButton', data }).toString();
    expect((await postBody(body, 'application/x-www-form-urlencoded')).status).toBe(400);
  });

  it.each(['multipart/form-data; boundary=x', 'application/octet-stream', 'image/png'])(
    'answers 415 to %s, which cannot be an update',
    async (contentType) => {
      expect((await postBody('--x\r\n', contentType)).status).toBe(415);
    },
  );
});

describe('content types not confirmed', () => {
  it('takes a Bale update posted as text/plain, or with no content type, as JSON', async () => {
    for (const contentType of ['text/plain', null]) {
      const chatId = newBotApiChatId();
      const headers: Record<string, string> = { 'x-telegram-bot-api-secret-token': String(env.BALE_SECRET_TOKEN) };
      if (contentType) headers['content-type'] = contentType;
      const request = new Request(`https://pishkhan.test/webhooks/bale/${env.BALE_WEBHOOK_SECRET}`, {
        method: 'POST',
        headers,
        body: stringifyExact(fixtures.text(chatId, 'سلام')),
      });
      expect((await exports.default.fetch(request)).status).toBe(200);
      const [menu] = await waitForBale('bale', chatId, 1);
      expect(menu?.text).toContain(fa.greeting);
    }
  });

  it('takes a Gap update posted as JSON without its content type', async () => {
    const chatId = newChatId();
    expect((await postBody(JSON.stringify({ chat_id: chatId, type: 'text', data: 'سلام' }), '')).status).toBe(200);
  });
});
