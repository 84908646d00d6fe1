/**
 * The chat's lease under a slow bus: renewed while the holder waits, so that no other processor
 * takes the chat meanwhile; and, in a run whose time is bounded (Workers), an event whose call
 * cannot end in time is left to the sweep. Either way every reply goes once and the bus does each
 * idempotency key's work once.
 */

import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { type Deps, depsFor } from '../../src/deps.ts';
import { fa } from '../../src/i18n/fa.ts';
import { faServices } from '../../src/i18n/fa-services.ts';
import worker from '../../src/index.ts';
import { processChat } from '../../src/pipeline/process-chat.ts';
import { claimEvent } from '../../src/store/inbox.ts';
import { inbound } from '../support/events.ts';
import { waitFor } from '../support/wait.ts';
import { conversationRow, waitForRelease } from './database.ts';
import { converse, newChatId, sendText, waitForMessages } from './gap.ts';
import { gsbCalls } from './gsb.ts';

/** The GSB sandbox's postcode that answers after 3 s (slowMs in global-setup.ts). */
const SLOW_POSTCODE = '7777777777';

/** A chat at the postcode question, let go by its processor. */
async function atPostcodeQuestion(): Promise<string> {
  const chatId = newChatId();
  await converse(chatId, 'سلام', 0);
  await converse(chatId, faServices.postcode.title, 1);
  await waitForRelease('gap', chatId);
  return chatId;
}

/** Stores a text as the webhook does, taking the chat's lease for `ttlMs`, as a webhook's batch would. */
async function storeTaking(deps: Deps, chatId: string, text: string, receivedAt = Date.now(), ttlMs = 30_000) {
  const event = inbound(receivedAt, { chatId, text, dedupeKey: `lease-${chatId}-${text}` });
  const lease = { owner: crypto.randomUUID(), ttlMs };
  const { id, held } = await claimEvent(
    deps.store,
    event,
    { key: event.dedupeKey, expiresAt: receivedAt + 1 },
    Date.now(),
    lease,
  );
  const callKey = held?.pending.find((pending) => pending.id === id)?.callKey;
  if (id === null || !held || !callKey) throw new Error('the event was not stored with the lease');
  return { callKey, taken: { held, lease, event: { id, event } } };
}

/** The bus's calls under one idempotency key, and how many of them did the work. */
async function workDone(idempotencyKey: string): Promise<number> {
  return (await gsbCalls()).filter((call) => call.idempotencyKey === idempotencyKey && call.performed).length;
}

describe('the lease under a slow bus', () => {
  it('is renewed while the holder waits, so a processor and a webhook that come after its first lifetime leave the chat to it', async () => {
    const chatId = await atPostcodeQuestion();
    const ttlMs = 1_000;
    const deps = { ...(await depsFor(env)), leaseMs: ttlMs };
    const takenAt = Date.now();
    const { callKey, taken } = await storeTaking(deps, chatId, SLOW_POSTCODE, takenAt, ttlMs);
    const holding = processChat(deps, { channel: 'gap', chatId }, { taken });

    // Renewed past twice its lifetime while the step is still on the bus (not yet saved): the lease
    // it was taken with has run out by now.
    const renewed = async () => {
      const row = await conversationRow('gap', chatId);
      return row?.version === taken.held.version && row.lease_until >= takenAt + 2 * ttlMs;
    };
    await waitFor(renewed, 10_000, 'renewal during the call');
    await processChat(deps, { channel: 'gap', chatId });
    expect((await sendText(chatId, 'منو')).status).toBe(200);
    await holding;

    await waitForRelease('gap', chatId);
    const messages = await waitForMessages(chatId, 4);
    expect(messages).toHaveLength(4);
    expect(messages[2]?.data).toContain('۷۷۷۷۷۷۷۷۷۷');
    expect(messages[3]?.data).toBe(fa.menuPrompt);
    expect(await workDone(`pishkhan-${callKey}-0`)).toBe(1);
  });

  it('leaves an event whose call cannot end within a bounded run to the sweep, which answers it once', async () => {
    const chatId = await atPostcodeQuestion();
    const deps = await depsFor(env);
    // Old enough for the sweep, which leaves events younger than 2 s to their webhook.
    const { callKey, taken } = await storeTaking(deps, chatId, SLOW_POSTCODE, Date.now() - 10_000);
    // Time for calls ends 3 s before the deadline: half a second, for a call of three.
    await processChat(deps, { channel: 'gap', chatId }, { taken, deadline: Date.now() + 3_500 });
    expect(await waitForMessages(chatId, 2)).toHaveLength(2);
    expect((await conversationRow('gap', chatId))?.lease_owner).toBeNull();

    const ctx = createExecutionContext();
    worker.scheduled({}, env, ctx);
    await waitOnExecutionContext(ctx);
    await waitForRelease('gap', chatId);
    const messages = await waitForMessages(chatId, 3);
    expect(messages).toHaveLength(3);
    expect(messages[2]?.data).toContain('۷۷۷۷۷۷۷۷۷۷');
    expect(await workDone(`pishkhan-${callKey}-0`)).toBe(1);
  });
});
