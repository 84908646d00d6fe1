/**
 * Generated bodies through the webhook, inside workerd: a few hundred per messenger, and random
 * bytes. None gets a 5xx; afterwards the fuzzed chat settles and a fresh chat is answered as ever.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fa } from '../../src/i18n/fa.ts';
import { FUZZ_SEED } from '../support/fuzz-seed.ts';
import { fuzzedBodies } from '../support/update-bodies.ts';
import * as botApi from './bot-api.ts';
import { waitUntilSettled } from './database.ts';
import * as gap from './gap.ts';

const RUNS = 150;
const BYTE_RUNS = 50;
/** What a webhook may answer a body: taken, refused as malformed, too large, or not an update. */
const ANSWERS = [200, 400, 413, 415];

/** Ids of a length no other test uses, and a mobile number of their own (see update-bodies.ts). */
const fuzzChat = () => ({
  id: String(7_000_000_000 + Math.floor(Math.random() * 1e9)),
  phone: `98990${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
});

type Post = (text: string | Uint8Array, contentType: string) => Promise<Response>;

const posts: Record<'gap' | botApi.Messenger, Post> = {
  gap: (body, contentType) => gap.postBody(body, contentType),
  soroush: (body, contentType) => botApi.post('soroush', body, { contentType }),
  bale: (body, contentType) => botApi.post('bale', body, { contentType }),
};

describe.each(['gap', 'soroush', 'bale'] as const)('fuzzing the %s webhook', (messenger) => {
  it(`answers ${RUNS} generated bodies and ${BYTE_RUNS} random byte strings without a 5xx`, async () => {
    const chat = fuzzChat();
    const post = posts[messenger];
    const statuses = new Map<number, number>();
    const tally = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    await fc.assert(
      fc.asyncProperty(fuzzedBodies(messenger, chat), async ({ text, contentType }) => {
        const { status } = await post(text, contentType);
        tally(status);
        expect(ANSWERS).toContain(status);
      }),
      { seed: FUZZ_SEED, numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        const { status } = await post(bytes, 'application/json');
        tally(status);
        expect(ANSWERS).toContain(status);
      }),
      { seed: FUZZ_SEED, numRuns: BYTE_RUNS },
    );
    console.info(`${messenger}: ${JSON.stringify(Object.fromEntries(statuses))}, seed ${FUZZ_SEED}`);
    expect(statuses.get(200)).toBeGreaterThan(0);
    expect(statuses.get(400)).toBeGreaterThan(0);

    await waitUntilSettled(messenger, chat.id, 60_000);
    const fresh = messenger === 'gap' ? gap.newChatId() : botApi.newChatId();
    const greeting =
      messenger === 'gap'
        ? (await gap.converse(fresh, 'سلام', 0)).data
        : (await botApi.converse(messenger, fresh, 'سلام', 0)).text;
    expect(greeting).toContain(fa.greeting);
  }, 120_000);
});
