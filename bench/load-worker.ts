/**
 * The load generator's own process (forked by load-generator.ts): it sends form-encoded Gap text
 * updates at a fixed concurrency and times each answer. It runs apart from the bench's main
 * process because that one serves libSQL and the sandboxes, and a shared event loop would add its
 * own waits to the figures it measures.
 */
import type { LoadJob, LoadResult } from './load-generator.ts';

/** A request that takes this long counts as failed (status 0); the bench's deadline bounds the rest. */
const REQUEST_TIMEOUT_MS = 30_000;

/** A Gap text update as Gap posts it: form fields, `from` a JSON string. */
function gapText(chatId: number, text: string): URLSearchParams {
  const from = JSON.stringify({ id: 2_000_000 + chatId, name: 'شهروند سنجش', user: 'bench_citizen' });
  return new URLSearchParams({ chat_id: String(chatId), type: 'text', data: text, from });
}

/** fetch's own message is "fetch failed"; the reason is in its cause. */
function reasonOf(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}

async function run(job: LoadJob): Promise<LoadResult> {
  const result: LoadResult = {
    chatIds: new Array(job.requests),
    sentAt: new Array(job.requests),
    answerMs: new Array(job.requests),
    status: new Array(job.requests),
    failure: new Array(job.requests),
    elapsedMs: 0,
  };
  // Each chat's requests go out one after another, so the inbox claims them in send order and the
  // bench can pair a chat's replies with its requests by order. With more chats than concurrency
  // the wait is almost always already over.
  const previousInChat = new Map<number, Promise<void>>();
  let next = 0;
  const send = async (i: number): Promise<void> => {
    const chatId = job.firstChat + (i % job.chats);
    const body = gapText(chatId, `سنجش ${job.label} ${i}`);
    result.chatIds[i] = String(chatId);
    result.sentAt[i] = Date.now();
    const started = performance.now();
    try {
      const response = await fetch(job.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text(); // read to the end, so the connection is reused
      result.status[i] = response.status;
      result.failure[i] =
        response.status === 200 ? '' : `${response.status} ${text.replace(/\s+/g, ' ').slice(0, 80)}`.trim();
    } catch (error) {
      result.status[i] = 0;
      result.failure[i] = `no answer: ${reasonOf(error)}`;
    }
    result.answerMs[i] = performance.now() - started;
  };
  const loop = async (): Promise<void> => {
    for (let i = next++; i < job.requests; i = next++) {
      const chat = i % job.chats;
      const sent = (previousInChat.get(chat) ?? Promise.resolve()).then(() => send(i));
      previousInChat.set(chat, sent);
      await sent;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: job.concurrency }, loop));
  result.elapsedMs = performance.now() - started;
  return result;
}

process.on('message', (job: LoadJob) => {
  run(job).then(
    (result) => process.send?.({ ok: true, result }),
    (error: unknown) => process.send?.({ ok: false, error: String(error) }),
  );
});
// The bench's process is gone (killed, crashed): nothing is left to report to.
process.on('disconnect', () => process.exit(0));
