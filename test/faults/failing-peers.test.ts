/**
 * The others failing: the bus answering 30 % of calls with a gateway's unsigned 503 and leaving
 * 10 % unanswered, and the messenger refusing half the sends (503, or 429 with Retry-After) for a
 * while. Every citizen is answered or told honestly, the bus does no work twice, and no reply is
 * lost or overtaken.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fa } from '../../src/i18n/fa.ts';
import { faServices } from '../../src/i18n/fa-services.ts';
import {
  checkChats,
  deliver,
  type FaultStack,
  inParallel,
  newChatId,
  report,
  scriptLine,
  size,
  startFaultStack,
  textUpdate,
  waitUntilSettled,
} from './stack.ts';

let stack: FaultStack;
beforeAll(async () => {
  stack = await startFaultStack();
  await stack.boot();
});
afterAll(() => stack?.stop());

const entryUrl = () => stack.entries[0]?.url ?? '';

async function post(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url} refused the faults: ${response.status}`);
}

/** A postcode of its own for each of up to 2,401 citizens: `n` in base 7 over digits Iran Post's rule allows anywhere. */
const postcodeOf = (n: number) =>
  `134678${[...n.toString(7).padStart(4, '0')].map((digit) => '1346789'[Number(digit)]).join('')}`;

interface GsbCall {
  idempotencyKey: string | null;
  status: number;
  problem: string | null;
  performed: boolean;
}

describe('faults: failing peers', () => {
  it('answers every citizen or tells them honestly while the bus fails 40 % of calls, and no call is done twice', async () => {
    const started = Date.now();
    await post(`${stack.gsbUrl}/_sandbox/faults`, { gatewayErrorRate: 0.3, timeoutRate: 0.1 });
    const citizens = Array.from({ length: size(6, 100) }, (_, i) => ({ chatId: newChatId(), postcode: postcodeOf(i) }));
    try {
      await inParallel(citizens, 20, async ({ chatId, postcode }) => {
        for (const text of ['سلام', faServices.postcode.title, postcode])
          await deliver(entryUrl, textUpdate(chatId, text));
      });
      await waitUntilSettled(stack, 180_000);
    } finally {
      await post(`${stack.gsbUrl}/_sandbox/faults`, {});
    }
    let answered = 0;
    let told = 0;
    for (const { chatId } of citizens) {
      const response = await fetch(`${stack.baleUrl}/_sandbox/messages?chat_id=${chatId}`);
      const texts = ((await response.json()) as { messages: { text: string }[] }).messages.map((m) => m.text);
      if (texts.some((text) => text.includes(faServices.postcode.heading))) answered++;
      else if (texts.some((text) => text.includes(fa.upstream.unavailable))) told++;
    }
    const calls = (await (await fetch(`${stack.gsbUrl}/_sandbox/calls`)).json()) as GsbCall[];
    const performed = new Map<string, number>();
    for (const call of calls) {
      if (call.performed && call.idempotencyKey) {
        performed.set(call.idempotencyKey, (performed.get(call.idempotencyKey) ?? 0) + 1);
      }
    }
    const doneTwice = [...performed.values()].filter((times) => times > 1).length;
    const figures = {
      citizens: citizens.length,
      answered,
      'told honestly': told,
      'calls to the bus': calls.length,
      'unsigned 503s': calls.filter((call) => call.problem === 'gateway').length,
      'left unanswered': calls.filter((call) => call.status === 504).length,
      'done twice': doneTwice,
    };
    report('bus failing', figures, started);
    expect(answered + told).toBe(citizens.length);
    expect(doneTwice).toBe(0);
  });

  it('loses no reply and keeps each chat in order while the messenger refuses half the sends', async () => {
    const started = Date.now();
    const forMs = size(10_000, 60_000);
    await post(`${stack.baleUrl}/_sandbox/faults`, { status: 503, rate: 0.25, forMs });
    // Of the sends the 503 spares, a third: half of all sends refused.
    await post(`${stack.baleUrl}/_sandbox/faults`, { status: 429, retryAfter: 1, rate: 1 / 3, forMs });
    const refusedBefore = refusals(stack);
    const chats = Array.from({ length: size(5, 20) }, newChatId);
    const perChat = size(6, 15);
    // The citizens keep talking through the outage, a message every half second or so.
    await inParallel(chats, chats.length, async (chatId) => {
      for (let i = 0; i < perChat; i++) {
        await deliver(entryUrl, textUpdate(chatId, scriptLine(i)));
        await new Promise((resolve) => setTimeout(resolve, forMs / perChat));
      }
    });
    // After the outage, the longest wait left is one backoff step (64 s at most).
    await waitUntilSettled(stack, 150_000);
    const check = await checkChats(stack, chats);
    const updates = chats.length * perChat;
    const figures = { updates, 'sends refused': refusals(stack) - refusedBefore, replies: check.replies };
    report(
      'messenger refusing half',
      { ...figures, lost: check.missing + check.dead, misplaced: check.misplaced },
      started,
    );
    expect(refusals(stack) - refusedBefore).toBeGreaterThan(0);
    expect(check).toMatchObject({ events: updates, processed: updates, replies: updates, dead: 0 });
    expect(check).toMatchObject({ missing: 0, resent: 0, misplaced: 0 });
  });
});

/** The sends the entries saw refused, from their log lines. */
function refusals(stack: FaultStack): number {
  return stack.entries.flatMap((entry) => entry.output).filter((line) => line.includes('"event":"send-failed"')).length;
}
