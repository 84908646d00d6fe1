import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { webhookUrl } from './gap.ts';
import { callWorker as call } from './worker.ts';

const update = {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: 'chat_id=1&type=text&data=x',
};

describe('configuration', () => {
  it('answers /healthz without any configuration', async () => {
    const response = await call('/healthz', {});
    expect(response.status).toBe(200);
  });

  it('is ready when the configuration is complete and the database answers', async () => {
    const response = await call('/readyz', { ...env });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, channels: ['gap', 'soroush', 'bale'] });
  });

  it('names a missing GSB setting, on the webhook and on /readyz, without a stack trace', async () => {
    const vars = { ...env, GSB_BASE_URL: undefined, GSB_PASSWORD: '' };
    const path = new URL(webhookUrl()).pathname;
    for (const response of [await call(path, vars, update), await call('/readyz', vars)]) {
      expect(response.status).toBe(503);
      const body = (await response.json()) as { error: string; missing: string[] };
      expect(body.missing).toEqual(['GSB_BASE_URL', 'GSB_PASSWORD']);
      expect(body.error).toContain('GSB_BASE_URL');
      expect(JSON.stringify(body)).not.toMatch(/at .+\.ts/);
    }
  });

  it.each([
    ['LIBSQL_URL', 'http://10.0.0.5:8080'],
    ['GSB_BASE_URL', 'ftp://gsb.example.ir'],
    ['BALE_API_BASE', 'http://tapi.bale.example'],
  ])('refuses %s in the clear to a host nobody allowed, naming it', async (name, url) => {
    const response = await call('/readyz', { ...env, [name]: url });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { missing: string[] }).missing).toEqual([name]);
  });

  it('refuses a webhook secret shorter than 32 characters, naming it', async () => {
    const response = await call(new URL(webhookUrl()).pathname, { ...env, GAP_WEBHOOK_SECRET: 'short' }, update);
    expect(response.status).toBe(503);
    expect(((await response.json()) as { missing: string[] }).missing).toEqual(['GAP_WEBHOOK_SECRET']);
  });

  it('accepts both secrets while one is rotated, and only the new one after', async () => {
    const previous = String(env.GAP_WEBHOOK_SECRET);
    const next = 'the-next-gap-webhook-secret-0000000000000';
    const rotating = { ...env, GAP_WEBHOOK_SECRET: next, GAP_WEBHOOK_SECRET_PREVIOUS: previous };
    for (const secret of [next, previous]) {
      expect((await call(new URL(webhookUrl(secret)).pathname, rotating, update)).status).toBe(200);
    }
    const rotated = { ...env, GAP_WEBHOOK_SECRET: next };
    expect((await call(new URL(webhookUrl(previous)).pathname, rotated, update)).status).toBe(404);
    expect((await call(new URL(webhookUrl(next)).pathname, rotated, update)).status).toBe(200);
  });

  it('turns a messenger off when its token is not set: its webhook answers 404', async () => {
    const path = new URL(webhookUrl()).pathname;
    const response = await call(path, { ...env, GAP_BOT_TOKEN: undefined }, update);
    expect(response.status).toBe(404);
  });
});
