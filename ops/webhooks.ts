/**
 * `npm run webhooks`: shows the webhook each Bot-API messenger (Soroush Plus, Bale) has on record
 * (getWebhookInfo), and the URL to enter in Gap's developer panel (Gap has no API for it).
 * `npm run webhooks -- set <public base URL>`: registers `<base>/webhooks/<messenger>/<secret>` with
 * setWebhook for each of them whose token is in the environment, with its secret token when one is
 * configured and only the updates Pishkhan reads. Tokens and secrets are never printed: the path
 * secret shows as `***`, and Gap's URL names its variable rather than its value. The base URL and
 * the messengers' APIs follow the app's transport rule (src/transport.ts): each carries a secret, so
 * TLS, loopback or a host in PLAIN_HTTP_HOSTS, and no redirect followed.
 */
import { pathToFileURL } from 'node:url';
import { botApiMessengers } from '../src/channels/registry.ts';
import { isRedirect, transportOf } from '../src/transport.ts';

/** What the bot-api adapter reads (bot-api/parse.ts): anything else would only be heard as `other`. */
const ALLOWED_UPDATES = ['message', 'callback_query'];
const CALL_TIMEOUT_MS = 10_000;
const USAGE =
  'usage: npm run webhooks                      show the registrations\n' +
  '       npm run webhooks -- set <base URL>     register <base URL>/webhooks/<messenger>/<secret>';

type Env = Readonly<Record<string, string | undefined>>;
type Print = (line: string) => void;

interface WebhookInfo {
  url?: string;
  pending_update_count?: number;
  last_error_date?: number;
  last_error_message?: string;
  allowed_updates?: string[];
}

/**
 * Runs the command.
 * @returns the exit code: 0 when every call succeeded, 1 when one failed, 2 for a usage error
 */
export async function runWebhooks(args: readonly string[], env: Env, print: Print, fetcher: typeof fetch = fetch) {
  const [command, baseArg, ...rest] = args;
  const setting = command === 'set';
  if ((command !== undefined && !setting) || (setting && (baseArg === undefined || rest.length > 0))) {
    print(USAGE);
    return 2;
  }
  const redact = redactor(env);
  let base: string | null = null;
  if (setting) {
    base = publicBase(baseArg ?? '');
    if (!base) {
      print(`not an http(s) URL without query or fragment: ${redact(baseArg ?? '')}\n${USAGE}`);
      return 2;
    }
    if (!travelsSafely(env, base)) {
      print(`refused: ${redact(base)} would carry the webhook secrets in the clear: ${PLAIN_ADVICE}`);
      return 2;
    }
  }

  let failed = false;
  for (const messenger of botApiMessengers) {
    const prefix = messenger.id.toUpperCase();
    const token = env[`${prefix}_BOT_TOKEN`];
    if (!token) {
      print(`${messenger.id}: off (${prefix}_BOT_TOKEN is not set)`);
      continue;
    }
    const api = { base: (env[`${prefix}_API_BASE`] || messenger.apiBase).replace(/\/+$/, ''), token };
    if (!travelsSafely(env, api.base)) {
      print(`${messenger.id}: not called: ${prefix}_API_BASE would carry the token in the clear: ${PLAIN_ADVICE}`);
      failed = true;
      continue;
    }
    if (setting && base) {
      const secret = env[`${prefix}_WEBHOOK_SECRET`];
      if (!secret) {
        print(`${messenger.id}: not set: ${prefix}_WEBHOOK_SECRET is missing`);
        failed = true;
        continue;
      }
      const secretToken = env[`${prefix}_SECRET_TOKEN`];
      const body = {
        url: `${base}/webhooks/${messenger.id}/${encodeURIComponent(secret)}`,
        allowed_updates: ALLOWED_UPDATES,
        ...(secretToken && { secret_token: secretToken }),
      };
      const set = await call(fetcher, api, 'setWebhook', body);
      if (!set.ok) {
        print(`${messenger.id}: setWebhook refused: ${redact(set.reason)}`);
        failed = true;
        continue;
      }
      print(
        `${messenger.id}: webhook set to ${redact(body.url)} (secret token: ${secretToken ? 'yes' : 'none configured'})`,
      );
    }
    const info = await call(fetcher, api, 'getWebhookInfo', {});
    if (!info.ok) {
      print(`${messenger.id}: getWebhookInfo refused: ${redact(info.reason)}`);
      failed = true;
      continue;
    }
    const shown = info.result as WebhookInfo;
    base ??= shown.url ? shown.url.replace(/\/webhooks\/.*$/, '') : null;
    for (const line of describe(shown)) print(`${messenger.id}: ${redact(line)}`);
  }

  if (env.SOROUSH_LEGACY_BOT_TOKEN) print('soroush-legacy: no webhook; the runtime reads its stream (getMessage)');
  const gapBase = base ?? '<your public base URL>';
  print(`gap: enter in Gap's developer panel (it has no API for this): ${gapBase}/webhooks/gap/<GAP_WEBHOOK_SECRET>`);
  if (!env.GAP_BOT_TOKEN) print('gap: off here (GAP_BOT_TOKEN is not set)');
  return failed ? 1 : 0;
}

const PLAIN_ADVICE = 'use https://, a loopback address, or a host named in PLAIN_HTTP_HOSTS';

function travelsSafely(env: Env, url: string): boolean {
  try {
    transportOf(env, 'url', url);
    return true;
  } catch {
    return false;
  }
}

/** The base URL without a trailing slash, or null when it is no http(s) URL or carries a query or fragment. */
function publicBase(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash) return null;
  return url.href.replace(/\/+$/, '');
}

function describe(info: WebhookInfo): string[] {
  const lines = [
    `registered: ${info.url ? info.url : 'none'}`,
    `pending updates: ${info.pending_update_count ?? 'unknown'}`,
  ];
  if (info.allowed_updates) lines.push(`allowed updates: ${info.allowed_updates.join(', ')}`);
  if (info.last_error_date) {
    const when = new Date(info.last_error_date * 1000).toISOString();
    lines.push(`last error: ${when} ${info.last_error_message ?? ''}`.trimEnd());
  }
  return lines;
}

type Called = { ok: true; result: unknown } | { ok: false; reason: string };

async function call(
  fetcher: typeof fetch,
  api: { base: string; token: string },
  method: string,
  body: unknown,
): Promise<Called> {
  let response: Response;
  try {
    response = await fetcher(`${api.base}/bot${api.token}/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(CALL_TIMEOUT_MS),
      redirect: 'manual',
    });
  } catch (error) {
    // The error's message may quote the address, and with it the token.
    return { ok: false, reason: `could not reach the API (${error instanceof Error ? error.name : 'error'})` };
  }
  if (isRedirect(response.status)) return { ok: false, reason: `HTTP ${response.status}: a redirect, not followed` };
  const answer = (await response.json().catch(() => null)) as {
    ok?: boolean;
    result?: unknown;
    description?: string;
  } | null;
  if (response.ok && answer?.ok === true) return { ok: true, result: answer.result ?? {} };
  return { ok: false, reason: `HTTP ${response.status}${answer?.description ? `: ${answer.description}` : ''}` };
}

/** Masks every token and secret of the environment, and the secret segment of any webhook path. */
function redactor(env: Env): (text: string) => string {
  const secrets = Object.entries(env)
    .filter(([name, value]) => /_(BOT_TOKEN|WEBHOOK_SECRET|SECRET_TOKEN)$/.test(name) && value && value.length >= 4)
    .map(([, value]) => value as string)
    .sort((a, b) => b.length - a.length);
  return (text) => {
    let masked = text.replace(/(\/webhooks\/[^/\s]+\/)[^\s?#]+/g, '$1***');
    for (const secret of secrets) masked = masked.split(secret).join('***');
    return masked;
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runWebhooks(process.argv.slice(2), process.env, (line) => console.log(line)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.name : 'error');
      process.exit(1);
    },
  );
}
