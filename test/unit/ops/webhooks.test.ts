import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localBale, localSoroush } from '../../../dev/local-settings.ts';
import { startBotApiSandbox } from '../../../dev/sandboxes/bot-api/index.ts';
import { listen, type RunningServer } from '../../../dev/sandboxes/kit/serve.ts';
import { runWebhooks } from '../../../ops/webhooks.ts';

const servers: RunningServer[] = [];
let env: Record<string, string>;
/** The bot's side: what the sandbox delivered to the registered webhook, with its secret-token header. */
const received: { path: string; secretToken: string | undefined }[] = [];
let bot: string;

beforeAll(async () => {
  const soroush = await startBotApiSandbox({ token: localSoroush.token });
  const bale = await startBotApiSandbox({ token: localBale.token });
  const receiver = await listen(
    new Hono().post('*', (c) => {
      received.push({ path: c.req.path, secretToken: c.req.header('x-telegram-bot-api-secret-token') });
      return c.body(null, 200);
    }),
  );
  servers.push(soroush, bale, receiver);
  bot = receiver.url;
  env = {
    SOROUSH_API_BASE: soroush.url,
    SOROUSH_BOT_TOKEN: localSoroush.token,
    SOROUSH_WEBHOOK_SECRET: localSoroush.webhookSecret,
    SOROUSH_SECRET_TOKEN: localSoroush.secretToken,
    BALE_API_BASE: bale.url,
    BALE_BOT_TOKEN: localBale.token,
    BALE_WEBHOOK_SECRET: localBale.webhookSecret,
    GAP_BOT_TOKEN: 'gap-token-for-the-test',
    GAP_WEBHOOK_SECRET: 'gap-secret-for-the-test',
  };
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

async function run(args: string[], vars: Record<string, string> = env) {
  const lines: string[] = [];
  const code = await runWebhooks(args, vars, (line) => lines.push(line));
  return { code, output: lines.join('\n') };
}

/** No token or secret of the environment appears in the output. */
function expectNoSecrets(output: string, vars: Record<string, string> = env) {
  for (const [name, value] of Object.entries(vars))
    if (value && /TOKEN|SECRET/.test(name)) expect(output).not.toContain(value);
}

const info = async (base: string, token: string) =>
  ((await (await fetch(`${base}/bot${token}/getWebhookInfo`)).json()) as { result: Record<string, unknown> }).result;

describe('npm run webhooks', () => {
  it('registers the secret path, the secret token and the updates Pishkhan reads with each Bot-API messenger', async () => {
    const { code, output } = await run(['set', `${bot}/`]);
    expect(code).toBe(0);
    expect(await info(env.SOROUSH_API_BASE!, localSoroush.token)).toMatchObject({
      url: `${bot}/webhooks/soroush/${localSoroush.webhookSecret}`,
      allowed_updates: ['message', 'callback_query'],
    });
    expect((await info(env.BALE_API_BASE!, localBale.token)).url).toBe(
      `${bot}/webhooks/bale/${localBale.webhookSecret}`,
    );
    expect(output).toContain(`soroush: webhook set to ${bot}/webhooks/soroush/*** (secret token: yes)`);
    expect(output).toContain(`bale: webhook set to ${bot}/webhooks/bale/*** (secret token: none configured)`);
    expect(output).toContain(
      `gap: enter in Gap's developer panel (it has no API for this): ${bot}/webhooks/gap/<GAP_WEBHOOK_SECRET>`,
    );
    expectNoSecrets(output);

    // The registration is live: the messenger now posts its updates there, with the secret token.
    const delivered = await fetch(`${env.SOROUSH_API_BASE}/_sandbox/deliver`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: '42', text: 'سلام' }),
    });
    expect(delivered.status).toBe(200);
    expect(received.at(-1)).toEqual({
      path: `/webhooks/soroush/${localSoroush.webhookSecret}`,
      secretToken: localSoroush.secretToken,
    });
  });

  it('shows each registration masked, and Gap’s URL on the registered base, without arguments', async () => {
    await run(['set', bot]);
    const { code, output } = await run([]);
    expect(code).toBe(0);
    expect(output).toContain(`soroush: registered: ${bot}/webhooks/soroush/***`);
    expect(output).toContain('soroush: pending updates: 0');
    expect(output).toContain('bale: allowed updates: message, callback_query');
    expect(output).toContain(`${bot}/webhooks/gap/<GAP_WEBHOOK_SECRET>`);
    expectNoSecrets(output);
  });

  it('skips a messenger without a token, and says a stream-read messenger needs no webhook', async () => {
    const vars = { ...env, BALE_BOT_TOKEN: '', SOROUSH_LEGACY_BOT_TOKEN: 'legacy-token-for-the-test' };
    const { code, output } = await run([], vars);
    expect(code).toBe(0);
    expect(output).toContain('bale: off (BALE_BOT_TOKEN is not set)');
    expect(output).toContain('soroush-legacy: no webhook');
    expectNoSecrets(output, vars);
  });

  it('fails, naming the variable, when a secret is missing, and masks a refusal for a wrong token', async () => {
    const noSecret = await run(['set', bot], { ...env, BALE_WEBHOOK_SECRET: '' });
    expect(noSecret.code).toBe(1);
    expect(noSecret.output).toContain('bale: not set: BALE_WEBHOOK_SECRET is missing');
    const wrong = { ...env, SOROUSH_BOT_TOKEN: '9:not-the-token' };
    const refused = await run([], wrong);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('soroush: getWebhookInfo refused: HTTP 401');
    expectNoSecrets(refused.output, wrong);
  });

  it('refuses to put a secret in the clear: a plain http base or API off this machine, unless PLAIN_HTTP_HOSTS names it', async () => {
    const plainBase = await run(['set', 'http://bot.example.org']);
    expect(plainBase.code).toBe(2);
    expect(plainBase.output).toContain('refused: http://bot.example.org would carry the webhook secrets in the clear');
    expect((await info(env.BALE_API_BASE!, localBale.token)).url).not.toContain('bot.example.org');

    const named = { ...env, PLAIN_HTTP_HOSTS: 'bot.example.org' };
    expect((await run(['set', 'http://bot.example.org'], named)).code).toBe(0);
    expect((await info(env.BALE_API_BASE!, localBale.token)).url).toBe(
      `http://bot.example.org/webhooks/bale/${localBale.webhookSecret}`,
    );

    const plainApi = { ...env, BALE_API_BASE: 'http://bale.example.org' };
    const notCalled = await run([], plainApi);
    expect(notCalled.code).toBe(1);
    expect(notCalled.output).toContain('bale: not called: BALE_API_BASE would carry the token in the clear');
    expectNoSecrets(notCalled.output, plainApi);
  });

  it('does not follow a redirect with the token in its path', async () => {
    let followed = false;
    const moved = await listen(
      new Hono()
        .post('/followed/*', (c) => {
          followed = true;
          return c.json({ ok: true, result: {} });
        })
        .post('*', (c) => c.redirect(`/followed${c.req.path}`, 307)),
    );
    servers.push(moved);
    const vars = { ...env, SOROUSH_API_BASE: moved.url };
    const { code, output } = await run([], vars);
    expect(code).toBe(1);
    expect(output).toContain('soroush: getWebhookInfo refused: HTTP 307: a redirect, not followed');
    expect(followed).toBe(false);
    expectNoSecrets(output, vars);
  });

  it('says how to use it when the arguments are wrong, and refuses a base that is no http(s) URL', async () => {
    expect((await run(['sets'])).code).toBe(2);
    expect((await run(['set'])).code).toBe(2);
    const bad = await run(['set', 'ftp://example.com']);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('usage: npm run webhooks');
    expect((await run(['set', 'https://example.com/?x=1'])).code).toBe(2);
  });
});
