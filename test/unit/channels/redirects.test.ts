/**
 * A messenger's API that answers with a redirect to another origin is not followed: the bot token
 * (in a header or in the path) and the message stay where they were sent, and the send fails.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { channelFactories } from '../../../src/channels/registry.ts';
import type { Channel } from '../../../src/channels/types.ts';
import { type Redirector, startRedirector } from '../support/redirector.ts';

let redirector: Redirector;
beforeEach(async () => {
  redirector = await startRedirector();
});
afterEach(() => redirector.close());

const WEBHOOK_SECRET = 'a-webhook-secret-of-at-least-32-chars';

function channel(name: string, env: Record<string, string>): Channel {
  const made = channelFactories[name]?.(env, (input, init) => fetch(input, init));
  if (!made) throw new Error(`${name} is off`);
  return made;
}

const messengers: [string, Record<string, string>][] = [
  ['gap', { GAP_BOT_TOKEN: 'gap-token', GAP_WEBHOOK_SECRET: WEBHOOK_SECRET }],
  ['bale', { BALE_BOT_TOKEN: '1:bale-token', BALE_WEBHOOK_SECRET: WEBHOOK_SECRET }],
  ['soroush-legacy', { SOROUSH_LEGACY_BOT_TOKEN: 'legacy-token' }],
];

describe.each(messengers)('%s refuses redirects', (name, settings) => {
  const env = () => ({ ...settings, [`${name.toUpperCase().replace('-', '_')}_API_BASE`]: redirector.url });

  it('fails the send, and sends nothing to the other origin', async () => {
    const result = await channel(name, env()).send('1234567', { text: 'کد پستی ۱۱۹۳۶۵۳۴۷۱' });
    expect(result).toMatchObject({ ok: false, status: 307, retryable: false });
    expect(redirector.redirected).toBeGreaterThan(0);
    expect(redirector.followed).toEqual([]);
  });
});

describe('the Bot API courtesies and the legacy stream refuse redirects too', () => {
  it("fails Bale's typing and button acknowledgement without following", async () => {
    const bale = channel('bale', {
      BALE_BOT_TOKEN: '1:bale-token',
      BALE_WEBHOOK_SECRET: WEBHOOK_SECRET,
      BALE_API_BASE: redirector.url,
    });
    await expect(bale.showTyping?.('1234567')).rejects.toThrow();
    expect(redirector.followed).toEqual([]);
  });

  it("opens Soroush legacy's stream without following, and keeps trying where it was sent", async () => {
    const legacy = channel('soroush-legacy', {
      SOROUSH_LEGACY_BOT_TOKEN: 'legacy-token',
      SOROUSH_LEGACY_API_BASE: redirector.url,
    });
    const reading = new AbortController();
    const read = legacy.stream?.read({
      signal: reading.signal,
      lastEventId: null,
      lastMessageAt: Date.now(),
      deliver: async () => {},
      progressed: () => {},
    });
    await expect.poll(() => redirector.redirected, { timeout: 5_000 }).toBeGreaterThan(0);
    reading.abort();
    await read;
    expect(redirector.followed).toEqual([]);
  });
});
