/**
 * The bench's load process (forked by load/index.ts): the citizens and their messenger. It serves
 * the Bot-API fake every target replies through (the local stack's Bale sandbox), so a citizen
 * learns of a reply the moment it is sent, and it sends the webhooks and times them. It runs apart
 * from the bench's main process (the GSB sandbox) and from the libSQL server, so that no shared
 * event loop adds its waits to what it measures.
 */
import { startLocalStack } from '../../dev/local-stack.ts';
import type { ConversationTimings, Job, JobResult, LoadMessage, Target, WebhookTimings } from './jobs.ts';

/** A request that takes this long counts as unanswered (status 0). */
const REQUEST_TIMEOUT_MS = 30_000;
/** A step whose replies have not all come after this long is counted as stalled. */
const STEP_TIMEOUT_MS = 30_000;
/** After a run, replies are awaited until none came for this long. */
const QUIET_MS = 3_000;

/** Replies per chat so far, and the citizens waiting for a count. */
const received = new Map<string, number>();
const waiters = new Map<string, { count: number; resolve: () => void }>();

function onReply(chatId: string): void {
  const count = (received.get(chatId) ?? 0) + 1;
  received.set(chatId, count);
  const waiter = waiters.get(chatId);
  if (waiter && count >= waiter.count) {
    waiters.delete(chatId);
    waiter.resolve();
  }
}

/** Resolves true once the chat has `count` replies, false after `timeoutMs`. */
function repliesIn(chatId: string, count: number, timeoutMs: number): Promise<boolean> {
  if ((received.get(chatId) ?? 0) >= count) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiters.delete(chatId);
      resolve(false);
    }, timeoutMs);
    waiters.set(chatId, {
      count,
      resolve: () => {
        clearTimeout(timer);
        resolve(true);
      },
    });
  });
}

let updateId = 0;

/** A Bot-API text update from a private chat, as the messengers post it. */
function textUpdate(chat: number, text: string) {
  updateId += 1;
  const from = { id: chat, is_bot: false, first_name: 'شهروند' };
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chat, type: 'private' },
      from,
      text,
    },
  };
}

/** Posts one update; resolves with its status (0: no answer) once the answer is read to its end. */
async function post(target: Target, chat: number, text: string): Promise<number> {
  try {
    const response = await fetch(target.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': target.secretToken },
      body: JSON.stringify(textUpdate(chat, text)),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/**
 * Waits until every chat has the replies it is owed and then half a second more (a duplicate would
 * come late), or until none came for QUIET_MS; then counts them.
 */
async function settleReplies(owed: Map<string, number>) {
  const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);
  const expected = sum(owed.values());
  const total = () => sum([...owed.keys()].map((chat) => received.get(chat) ?? 0));
  let seen = total();
  let changedAt = performance.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (total() !== seen) [seen, changedAt] = [total(), performance.now()];
    const quietFor = performance.now() - changedAt;
    if ((seen >= expected && quietFor >= 500) || quietFor >= QUIET_MS) break;
  }
  const got = [...owed].map(([chat, count]) => [received.get(chat) ?? 0, count] as const);
  return {
    expected,
    received: sum(got.map(([have, count]) => Math.min(have, count))),
    extra: sum(got.map(([have, count]) => Math.max(0, have - count))),
  };
}

async function closed(job: Extract<Job, { kind: 'closed' }>): Promise<WebhookTimings> {
  const answerMs: number[] = new Array(job.requests);
  const status: number[] = new Array(job.requests);
  const expected = new Map<string, number>();
  // A chat's updates go one after another, so the replies it gets are the replies it is owed.
  const lastInChat = new Map<number, Promise<void>>();
  let next = 0;
  const started = performance.now();
  const connection = async () => {
    for (let i = next++; i < job.requests; i = next++) {
      const chat = job.firstChat + (i % job.chats);
      const sent = (lastInChat.get(chat) ?? Promise.resolve()).then(async () => {
        const at = performance.now();
        status[i] = await post(job.target, chat, `سلام ${i}`);
        answerMs[i] = performance.now() - at;
        if (status[i] === 200) expected.set(String(chat), (expected.get(String(chat)) ?? 0) + 1);
      });
      lastInChat.set(chat, sent);
      await sent;
    }
  };
  await Promise.all(Array.from({ length: job.connections }, connection));
  const elapsedMs = performance.now() - started;
  return { answerMs, status, elapsedMs, ...(await settleReplies(expected)) };
}

async function open(job: Extract<Job, { kind: 'open' }>): Promise<WebhookTimings> {
  const count = Math.round((job.rate * job.durationMs) / 1000);
  const answerMs: number[] = new Array(count);
  const status: number[] = new Array(count);
  const expected = new Map<string, number>();
  const started = performance.now();
  const sends: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    // Timed from when it was due, not from when it went: a target that falls behind is charged for it.
    const due = started + (i * 1000) / job.rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const chat = job.firstChat + i;
    sends.push(
      post(job.target, chat, `سلام ${i}`).then((code) => {
        status[i] = code;
        answerMs[i] = performance.now() - due;
        if (code === 200) expected.set(String(chat), 1);
      }),
    );
  }
  await Promise.all(sends);
  const elapsedMs = performance.now() - started;
  return { answerMs, status, elapsedMs, ...(await settleReplies(expected)) };
}

async function conversations(job: Extract<Job, { kind: 'conversations' }>): Promise<ConversationTimings> {
  const stepMs: number[] = [];
  const expected = new Map<string, number>();
  let stalled = 0;
  let updates = 0;
  let nextChat = job.firstChat;
  const citizen = async () => {
    for (let n = 0; n < job.each; n++) {
      const chat = nextChat++;
      let owed = 0;
      for (const [i, text] of job.steps.entries()) {
        owed += job.replies[i] ?? 1;
        expected.set(String(chat), owed);
        const at = performance.now();
        updates += 1;
        if ((await post(job.target, chat, text)) !== 200 || !(await repliesIn(String(chat), owed, STEP_TIMEOUT_MS))) {
          stalled += 1;
          break;
        }
        stepMs.push(performance.now() - at);
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: job.citizens }, citizen));
  const elapsedMs = performance.now() - started;
  return {
    stepMs,
    conversations: job.citizens * job.each,
    stalled,
    elapsedMs,
    updates,
    ...(await settleReplies(expected)),
  };
}

async function calibrate(job: Extract<Job, { kind: 'calibrate' }>): Promise<number[]> {
  const chat = String(job.chat);
  const replies: number[] = [];
  for (const text of job.steps) {
    const before = received.get(chat) ?? 0;
    await post(job.target, job.chat, text);
    await repliesIn(chat, before + 1, STEP_TIMEOUT_MS);
    // A step may send more than one message: count until none came for a while.
    for (let count = -1; count !== (received.get(chat) ?? 0); ) {
      count = received.get(chat) ?? 0;
      await new Promise((resolve) => setTimeout(resolve, job.quietMs));
    }
    replies.push((received.get(chat) ?? 0) - before);
  }
  return replies;
}

async function run(job: Job): Promise<JobResult> {
  switch (job.kind) {
    case 'closed':
      return { kind: 'closed', ...(await closed(job)) };
    case 'open':
      return { kind: 'open', ...(await open(job)) };
    case 'conversations':
      return { kind: 'conversations', ...(await conversations(job)) };
    case 'calibrate':
      return { kind: 'calibrate', replies: await calibrate(job) };
  }
}

process.on('message', (message: LoadMessage) => {
  const done =
    message.type === 'messenger'
      ? startLocalStack({ parts: ['bale'], bale: { onBotMessage: (reply) => onReply(reply.chat_id) } }).then(
          (stack) => ({ url: stack.urls.bale }),
        )
      : run(message.job);
  done.then(
    (result) => process.send?.({ ok: true, result }),
    (error: unknown) => process.send?.({ ok: false, error: String(error) }),
  );
});
// The bench's process is gone (killed, crashed): nothing is left to report to.
process.on('disconnect', () => process.exit(0));
