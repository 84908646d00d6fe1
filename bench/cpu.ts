/**
 * What the bench measures in its own process, where CPU time can be read (workerd's clock stands
 * still while code runs): the engine's step over the 4-step postcode conversation, and the
 * webhook handler's CPU time up to its 200, for Pishkhan and for the bare worker, each in Node
 * against the bench's libSQL server, one webhook at a time. No work runs after the answer: the
 * chats Pishkhan is sent are held by a lease of the bench's own (the webhook's batch is the same
 * statements either way), and the bare worker's updates name no chat to reply to.
 */
import { sql } from 'drizzle-orm';
import { localBale } from '../dev/local-settings.ts';
import { createApp } from '../src/app.ts';
import { settle, step } from '../src/conversation/engine.ts';
import type { ConversationState } from '../src/conversation/state.ts';
import { catalogue } from '../src/services/catalogue.ts';
import { openDb } from '../src/store/db.ts';
import type { InboundEvent } from '../src/types.ts';
import bare from './bare/worker.ts';

export interface CpuFigures {
  /** The engine's step, median and 99th percentile, µs. */
  stepMedianUs: number;
  stepP99Us: number;
  /** CPU time per webhook up to its answer, µs. */
  pishkhanWebhookUs: number;
  bareWebhookUs: number;
}

const STEP_ROUNDS = 5_000;
const WEBHOOKS = 500;
const WARMUP = 100;

const median = (sorted: number[]) => sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;

/** Each step of the 4-step conversation (and the settle of its call) timed alone, many times over. */
function engineStep(): { medianUs: number; p99Us: number } {
  const texts = ['/start', catalogue.byId('postcode')?.title ?? '', '0123456789', '۱۱۹۳۶۵۳۴۷۱'];
  const event = (text: string): InboundEvent => ({
    channel: 'bale',
    chatId: '1',
    userId: '1',
    privateChat: true,
    kind: 'text',
    text,
    button: null,
    contact: null,
    dedupeKey: 'k',
    receivedAt: 1_800_000_000_000,
  });
  const events = texts.map(event);
  const address = { province: 'تهران', township: 'تهران', street: 'خیابان آزادی', houseNumber: '12' };
  const times: number[] = [];
  for (let round = 0; round < STEP_ROUNDS; round++) {
    let state: ConversationState | null = null;
    for (const inbound of events) {
      const started = performance.now();
      let result = step(state, inbound, inbound.receivedAt, catalogue);
      if (result.call) result = settle(result.state, { kind: 'ok', result: address }, catalogue);
      times.push(performance.now() - started);
      state = result.state;
    }
  }
  const sorted = times.slice(WARMUP).sort((a, b) => a - b);
  return { medianUs: median(sorted) * 1000, p99Us: (sorted[Math.floor(sorted.length * 0.99)] ?? 0) * 1000 };
}

/** CPU µs per request of `send`, run `WEBHOOKS` times one after another after a warm-up. */
async function cpuPerRequest(send: (i: number) => Response | Promise<Response>): Promise<number> {
  for (let i = 0; i < WARMUP; i++) await (await send(i)).arrayBuffer();
  const before = process.cpuUsage();
  for (let i = WARMUP; i < WARMUP + WEBHOOKS; i++) {
    const response = await send(i);
    if (response.status !== 200) throw new Error(`a webhook answered ${response.status}`);
    await response.arrayBuffer();
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / WEBHOOKS;
}

const FIRST_CHAT = 80_000_000;

const update = (chat: number | null, text: string) =>
  JSON.stringify({
    update_id: chat ?? 1,
    message: {
      message_id: 1,
      date: 1_800_000_000,
      ...(chat !== null && { chat: { id: chat, type: 'private' }, from: { id: chat } }),
      text,
    },
  });

/** Holds the chats the timed webhooks go to, so that none of them starts processing. */
async function holdChats(libsqlUrl: string): Promise<void> {
  const db = openDb(libsqlUrl);
  const chats = Array.from({ length: WARMUP + WEBHOOKS }, (_, i) => String(FIRST_CHAT + i));
  await db.run(sql`insert into conversations (channel, chat_id, lease_owner, lease_until)
    select 'bale', value, 'bench', ${Number.MAX_SAFE_INTEGER} from json_each(${JSON.stringify(chats)})`);
  db.$client.close();
}

export async function measureCpu(pishkhanVars: Record<string, string>, bareVars: Record<string, string>) {
  const engine = engineStep();
  await holdChats(pishkhanVars.LIBSQL_URL ?? '');
  const app = createApp({ waitUntil: () => {} });
  const headers = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': localBale.secretToken };
  const pishkhanWebhookUs = await cpuPerRequest((i) =>
    app.request(
      `/webhooks/bale/${localBale.webhookSecret}`,
      { method: 'POST', headers, body: update(FIRST_CHAT + i, 'سلام') },
      pishkhanVars,
    ),
  );
  const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} };
  const bareWebhookUs = await cpuPerRequest(() =>
    bare.request('/webhook', { method: 'POST', body: update(null, 'سلام') }, bareVars, ctx),
  );
  return { stepMedianUs: engine.medianUs, stepP99Us: engine.p99Us, pishkhanWebhookUs, bareWebhookUs };
}
