/**
 * 10,000 generated bodies per messenger through its adapter's parser: each one is an update, a
 * notice (null) or a ChannelError, which the webhook answers with a 400; nothing else escapes, and
 * no refusal repeats what the body held. Seeded: FUZZ_SEED replays another run.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channelFactories } from '../../../src/channels/registry.ts';
import type { Channel } from '../../../src/channels/types.ts';
import { ChannelError } from '../../../src/errors.ts';
import { FUZZ_SEED } from '../../support/fuzz-seed.ts';
import { type FuzzedMessenger, fuzzedBodies } from '../../support/update-bodies.ts';

const RUNS = 10_000;
const CHAT = { id: '7000000042', phone: '989901234567' };
const SECRET = 'a-webhook-secret-of-at-least-32-chars';
const KINDS = new Set(['text', 'button', 'contact', 'join', 'other']);
const env = {
  GAP_BOT_TOKEN: 'gap-token',
  GAP_WEBHOOK_SECRET: SECRET,
  SOROUSH_BOT_TOKEN: '1:abc',
  SOROUSH_WEBHOOK_SECRET: SECRET,
  BALE_BOT_TOKEN: '2:def',
  BALE_WEBHOOK_SECRET: SECRET,
  SOROUSH_LEGACY_BOT_TOKEN: 'legacy-token',
};

function channel(messenger: FuzzedMessenger): Channel {
  const made = channelFactories[messenger]?.(env, fetch);
  if (!made) throw new Error(`${messenger} is not configured`);
  return made;
}

describe.each<FuzzedMessenger>(['gap', 'soroush', 'bale', 'soroush-legacy'])('fuzzing the %s parser', (messenger) => {
  it(`reads ${RUNS.toLocaleString('en')} generated bodies without an unexpected error`, () => {
    const adapter = channel(messenger);
    const outcomes = { updates: 0, notices: 0, refused: 0 };
    fc.assert(
      fc.property(fuzzedBodies(messenger, CHAT), (body) => {
        let parsed: ReturnType<Channel['parse']>;
        try {
          parsed = adapter.parse(body, 1000);
        } catch (error) {
          if (!(error instanceof ChannelError)) throw error;
          expect(error.message).not.toMatch(/9901234567|7000000042|سلام/);
          outcomes.refused++;
          return;
        }
        if (parsed === null) {
          outcomes.notices++;
          return;
        }
        const { event, dedupe } = parsed;
        expect(event.channel).toBe(messenger);
        expect(event.chatId).toMatch(/^\S+$/);
        expect(KINDS.has(event.kind)).toBe(true);
        if (event.kind === 'text') expect(event.text?.length).toBeGreaterThan(0);
        if (event.kind === 'button') expect(typeof event.button?.value).toBe('string');
        if (event.kind === 'contact') expect(event.contact?.phone).toMatch(/^\d+$/);
        expect(typeof dedupe.basis).toBe('string');
        outcomes.updates++;
      }),
      { seed: FUZZ_SEED, numRuns: RUNS },
    );
    console.info(`${messenger}: ${RUNS} bodies, ${JSON.stringify(outcomes)}, seed ${FUZZ_SEED}`);
    // The generator reaches both sides of the parser, or the run proves little.
    expect(outcomes.updates).toBeGreaterThan(RUNS / 10);
    expect(outcomes.refused).toBeGreaterThan(RUNS / 10);
  });
});
