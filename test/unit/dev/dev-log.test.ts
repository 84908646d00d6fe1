import { describe, expect, it } from 'vitest';
import { humanLine, rawLog, readableLog } from '../../../dev/dev-log.ts';

/** What wrangler dev writes while the local stack starts, serves two updates and sweeps (colours included). */
const WRANGLER_OUTPUT = `
 ⛅️ wrangler 4.86.0
──────────────────────────────────────────────
\u001b[33m▲ \u001b[43;33m[\u001b[43;30mWARNING\u001b[43;33m]\u001b[0m \u001b[1mProcessing wrangler.toml configuration:\u001b[0m

    - "secrets" fields are experimental and may change or break at any time.


Using secrets defined in process.env
Your Worker has access to the following bindings:
Binding                                 Resource                  Mode
env.LIBSQL_URL ("(hidden)")             Environment Variable      local
env.AUDIT_KEY ("(hidden)")              Environment Variable      local

[wrangler:warn] Unable to fetch the \`Request.cf\` object! Falling back to a default placeholder...
Error: getaddrinfo ENOTFOUND workers.cloudflare.com
    at GetAddrInfoReqWrap.onlookupall [as oncomplete] (node:dns:122:26)
    at GetAddrInfoReqWrap.callbackTrampoline (node:internal/async_hooks:130:17)
\u001b[33m▲ \u001b[43;33m[\u001b[43;30mWARNING\u001b[43;33m]\u001b[0m \u001b[1mScheduled Workers are not automatically triggered during local development.\u001b[0m

  To manually trigger a scheduled event, run:
  For more details, see https://developers.cloudflare.com/workers/configuration/cron-triggers/


⎔ Starting local server...
[wrangler:info] Ready on http://127.0.0.1:8787
[wrangler:info] GET /healthz 200 OK (3175ms)
{"at":"2026-12-06T07:53:52.807Z","event":"sweep","chats":0,"pendingEvents":0,"inboxLagMs":0,"updates":"","purgedClaims":0,"ms":372}
{"at":"2026-12-06T07:53:57.807Z","event":"sweep","chats":0,"inboxLagMs":12,"updates":"gap:done=2","calls":"postcode:ok=1","upstreamMs":"postcode=41/41","ms":90}
{"at":"2026-12-06T07:53:58.807Z","event":"sweep","chats":0,"updates":"gap:done=2","purgedClaims":2,"ms":41}
{"at":"2026-12-06T07:54:01.100Z","event":"event","channel":"bale","kind":"text","outcome":"replied","replies":1,"service":"postcode","upstream":"ok","upstreamMs":24,"calls":1,"ms":35}
\u001b[31m✘ \u001b[41;31m[\u001b[41;97mERROR\u001b[41;31m]\u001b[0m \u001b[1m{"at":"2026-12-06T07:54:04.835Z","event":"webhook","error":"ChannelError","message":"gap: data is invalid","channel":"gap","outcome":"malformed","ms":0}\u001b[0m
[wrangler:info] POST /webhooks/gap/*** 400 Bad Request (8ms)
{"at":"2026-12-06T07:54:07.565Z","event":"sweep","chats":2,"pendingEvents":0,"inboxLagMs":0,"purgedClaims":1,"ms":140}
[wrangler:error] something wrangler itself could not do
`.split('\n');

const time = (iso: string) => new Date(iso).toLocaleTimeString('en-GB');

describe('the readable dev log', () => {
  it('shows one short line per event, nothing of wrangler’s noise, and no idle sweep', () => {
    const log = readableLog();
    const shown = WRANGLER_OUTPUT.map(log).filter((line) => line !== null);
    expect(shown).toEqual([
      `${time('2026-12-06T07:54:01.100Z')}  bale text → replied  replies=1 service=postcode upstream=ok upstreamMs=24 calls=1 35 ms`,
      `${time('2026-12-06T07:54:04.835Z')}  ✗ gap webhook → malformed  error=ChannelError message=gap: data is invalid 0 ms`,
      `${time('2026-12-06T07:54:07.565Z')}  sweep  chats=2 purgedClaims=1 140 ms`,
      '[wrangler:error] something wrangler itself could not do',
    ]);
  });

  it('shows a line it cannot read as it is', () => {
    expect(readableLog()('{"at":"broken')).toBe('{"at":"broken');
    expect(humanLine({ event: 'listening', url: 'http://127.0.0.1:8787' })).toBe(
      'listening  url=http://127.0.0.1:8787',
    );
  });

  it('keeps, in JSON, every line but the stack’s own scheduled calls', () => {
    expect(rawLog('{"at":"x","event":"sweep","chats":0}')).toBe('{"at":"x","event":"sweep","chats":0}');
    expect(rawLog('[wrangler:info] GET /cdn-cgi/handler/scheduled 200 OK (3ms)')).toBeNull();
  });
});
