/**
 * Claiming an event: a copy within its claim's window is a redelivery, none without a claim; and
 * idempotency keys that never repeat: each event draws its own when it is claimed, and keeps it.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSealer } from '../../../src/crypto/seal.ts';
import { AuditChain } from '../../../src/store/audit-chain.ts';
import { acquireChat } from '../../../src/store/conversations.ts';
import type { Store } from '../../../src/store/db.ts';
import { claimEvent } from '../../../src/store/inbox.ts';
import { inbound } from '../../support/events.ts';
import { startLocalDb } from './local-db.ts';

let store: Store;
let stop: () => Promise<void>;
beforeAll(async () => {
  const local = await startLocalDb();
  stop = local.stop;
  const sealer = await createSealer({ k: 'AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=' }, 'k');
  store = { db: local.db, sealer, audit: new AuditChain(async (text) => text) };
});
afterAll(() => stop());

const event = (chatId: string, dedupeKey: string) =>
  inbound(1_000, { channel: 'bale', chatId, userId: chatId, text: 'سلام', dedupeKey });

describe('the key of an event’s calls to the bus', () => {
  it('is drawn at random when the event is claimed, owes nothing to its inbox id, and stays with it', async () => {
    const lease = (owner: string) => ({ owner, ttlMs: 30_000 });
    const first = await claimEvent(store, event('1', 'a'), { key: 'a', expiresAt: 2_000 }, 1_000, lease('o1'));
    const second = await claimEvent(store, event('2', 'b'), { key: 'b', expiresAt: 2_000 }, 1_000, lease('o2'));
    const keys = [first, second].map((claimed) => claimed.held?.pending[0]?.callKey);
    expect(keys.every((key) => /^[0-9a-f-]{36}$/.test(key ?? ''))).toBe(true);
    expect(new Set(keys).size).toBe(2);
    expect(keys).not.toContain(String(first.id));
    // Read again, as the sweep would after a crash: the same key, so the bus answers the retry once.
    const later = lease('sweep');
    const taken = await acquireChat(store, { channel: 'bale', chatId: '1' }, later, 1_000 + 60_000);
    expect(taken?.pending.map((pending) => pending.callKey)).toEqual([keys[0]]);
  });
});

describe('claiming an event', () => {
  it('stores a copy within the window once, a copy after it again, and every copy when there is no claim', async () => {
    const claim = { key: 'same-text', expiresAt: 2_000 };
    expect((await claimEvent(store, event('3', 'same-text'), claim, 1_000)).id).not.toBeNull();
    expect((await claimEvent(store, event('3', 'same-text'), claim, 1_999)).id).toBeNull();
    expect((await claimEvent(store, event('3', 'same-text'), { ...claim, expiresAt: 3_000 }, 2_000)).id).not.toBeNull();
    const unclaimed = [
      await claimEvent(store, event('4', 'x'), null, 1_000),
      await claimEvent(store, event('4', 'x'), null, 1_000),
    ];
    expect(unclaimed.every(({ id }) => id !== null)).toBe(true);
    expect(unclaimed[0]?.id).not.toBe(unclaimed[1]?.id);
  });
});
