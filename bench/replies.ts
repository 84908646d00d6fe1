/**
 * Reads what the bot sent back, from the Gap sandbox's record (GET /_sandbox/messages), and pairs it
 * with the requests: the k-th reply in a chat answers the chat's k-th request (a text at the menu
 * gets exactly one reply, and a chat's requests were sent one after another). The sandbox stamps
 * each reply with the time it recorded it (ISO, milliseconds), on the same clock as the sends.
 */
import type { GapBotMessage } from '../dev/gap-sandbox.ts';
import type { LoadResult } from './load-generator.ts';

const POLL_MS = 200;
/**
 * Longer than a chat's lease (30 s) plus a sweep tick (5 s): a processor that died holding a lease
 * is given the time to be taken over by the sweep before the wait is called stalled.
 */
const STALL_MS = 45_000;

/**
 * Reads the replies recorded after `afterId` until `done` says they are all in.
 * @returns the replies, oldest first: all of them, or fewer when none came for STALL_MS or `until`
 * (epoch ms) passed
 */
export async function awaitReplies(
  gapUrl: string,
  afterId: number,
  done: (replies: readonly GapBotMessage[]) => boolean,
  until: number,
): Promise<GapBotMessage[]> {
  const replies: GapBotMessage[] = [];
  let progressAt = Date.now();
  for (;;) {
    // Only the new ones each time: the sandbox shares its process with the libSQL server under load.
    const fresh = await readReplies(gapUrl, replies.at(-1)?.id ?? afterId);
    replies.push(...fresh);
    if (fresh.length > 0) progressAt = Date.now();
    if (done(replies) || Date.now() - progressAt >= STALL_MS || Date.now() >= until) return replies;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

export interface Pairing {
  /** Milliseconds from a request's send to its reply's recording, for each request paired. */
  endToEndMs: number[];
  /** Requests of chats whose replies are not all in yet. */
  waiting: number;
  /** Requests of chats where some webhook got no 200: whether it was claimed is unknown, so they cannot be paired. */
  leftOut: number;
  /** Replies beyond one per request: a reply sent twice. */
  extra: number;
}

export function pairReplies(load: LoadResult, replies: readonly GapBotMessage[]): Pairing {
  const requests = groupBy(
    load.chatIds.map((_, i) => i),
    (i) => load.chatIds[i] ?? '',
  );
  const failedChats = new Set(load.chatIds.filter((_, i) => load.status[i] !== 200));
  const answers = groupBy(replies, (reply) => reply.chat_id);

  const pairing: Pairing = { endToEndMs: [], waiting: 0, leftOut: 0, extra: 0 };
  for (const [chatId, sent] of requests) {
    const got = answers.get(chatId) ?? [];
    if (failedChats.has(chatId)) pairing.leftOut += sent.length;
    else if (got.length < sent.length) pairing.waiting += sent.length;
    else {
      pairing.extra += got.length - sent.length;
      for (const [k, i] of sent.entries()) {
        pairing.endToEndMs.push(Date.parse(got[k]?.time ?? '') - (load.sentAt[i] ?? Number.NaN));
      }
    }
  }
  return pairing;
}

/** The items by key, each group in the items' order. */
function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

async function readReplies(gapUrl: string, afterId: number): Promise<GapBotMessage[]> {
  const response = await fetch(`${gapUrl}/_sandbox/messages?after=${afterId}`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`the Gap sandbox answered ${response.status} to GET /_sandbox/messages`);
  return ((await response.json()) as { messages: GapBotMessage[] }).messages;
}
