/**
 * Sends a chat's due replies in order. What became of each send is a mark the holder writes with
 * its next batch: a reply the messenger accepted is never sent again; a failed one is retried with
 * backoff (at once for a short wait, else by the scheduled sweep) and holds back the replies behind
 * it, so order is kept. After MAX_SEND_ATTEMPTS, or a refusal that retrying cannot mend, it is set
 * aside and the citizen gets an apology.
 */
import { backoffDelay, pause } from '../backoff.ts';
import type { Channel } from '../channels/types.ts';
import type { Deps } from '../deps.ts';
import { fa } from '../i18n/fa.ts';
import { log } from '../log.ts';
import type { ChatKey } from '../store/db.ts';
import { type DueRow, deadLetterReply, dueReplies, type OutboxMark, type QueuedReply } from '../store/outbox.ts';
import type { Reply } from '../types.ts';

/**
 * With SEND_BACKOFF's waits, the last attempt comes 4 minutes or more after the first: a messenger
 * down that long loses nothing.
 */
export const MAX_SEND_ATTEMPTS = 10;
const SEND_BACKOFF = { baseMs: 1_000, capMs: 5 * 60_000 };
/** A wait this short is spent here, holding the chat, rather than left to the next sweep. */
const WAIT_IN_PLACE_MS = 5_000;

/**
 * Sends `due` (the chat's due replies, as a batch read them; those in `known` are in hand and not
 * opened again), pushing a mark per send onto `marks`. A reply set aside queues an apology: the
 * queue is read again to send it too.
 */
export async function deliverReplies(
  deps: Deps,
  chat: ChatKey,
  due: DueRow[],
  marks: OutboxMark[],
  known?: ReadonlyMap<number, Reply>,
): Promise<void> {
  const channel = deps.channels.get(chat.channel);
  if (!channel) return switchedOff(deps, chat, due, marks);
  for (let rows: DueRow[] | undefined = due, setAside = true; setAside; rows = undefined) {
    setAside = false;
    for (const queued of await dueReplies(deps.store, chat, deps.now(), rows, known)) {
      const outcome = await deliverOne(deps, channel, chat, queued, marks);
      if (outcome === 'waiting') return;
      setAside ||= outcome === 'set-aside';
    }
  }
}

/**
 * The messenger is switched off: its replies wait, tried again at the backoff's longest interval,
 * and are set aside after their attempts (replayable once it is on again); nobody can be told.
 */
function switchedOff(deps: Deps, chat: ChatKey, due: DueRow[], marks: OutboxMark[]): void {
  if (due.length === 0) return;
  log('send-failed', { channel: chat.channel, status: null, outcome: 'messenger-off', replies: due.length });
  for (const row of due) {
    const attempts = row.attempts + 1;
    marks.push(
      attempts >= MAX_SEND_ATTEMPTS
        ? { id: row.id, setAside: { attempts } }
        : { id: row.id, retry: { attempts, nextAt: deps.now() + SEND_BACKOFF.capMs } },
    );
  }
}

async function deliverOne(
  deps: Deps,
  channel: Channel,
  chat: ChatKey,
  queued: QueuedReply,
  marks: OutboxMark[],
): Promise<'sent' | 'set-aside' | 'waiting'> {
  const { reply } = queued;
  if (!reply) {
    // No key opens it (said when it was opened): set aside, with an apology in its place.
    const apology = { text: fa.apology };
    await deadLetterReply(deps.store, chat, queued, { attempts: queued.attempts, apology, now: deps.now() });
    return 'set-aside';
  }
  for (let attempts = queued.attempts + 1; ; attempts++) {
    // A one-time code goes to the phone number's own chat, in the order of the conversation's replies.
    const result = await channel.send(reply.to ?? chat.chatId, reply);
    if (result.ok) {
      marks.push({ id: queued.id, sent: { remoteId: result.remoteId, at: deps.now() } });
      return 'sent';
    }
    const giveUp = !result.retryable || attempts >= MAX_SEND_ATTEMPTS;
    // The network error's name tells a timeout from a refused connection; its message is not kept.
    const error = result.cause instanceof Error ? result.cause.name : null;
    log('send-failed', { channel: chat.channel, status: result.status, error, attempts, gaveUp: giveUp });
    if (giveUp) {
      await deadLetterReply(deps.store, chat, queued, { attempts, apology: { text: fa.apology }, now: deps.now() });
      return 'set-aside';
    }
    // A messenger's Retry-After is a floor under the backoff (a "retry after 1 s" each time would spend
    // every attempt in seconds) and is capped with it (a day's wait would hold the chat's replies a day).
    const backoff = backoffDelay(attempts, SEND_BACKOFF);
    const wait = Math.min(Math.max(result.retryAfterMs ?? 0, backoff), SEND_BACKOFF.capMs);
    if (wait > WAIT_IN_PLACE_MS) {
      marks.push({ id: queued.id, retry: { attempts, nextAt: deps.now() + wait } });
      return 'waiting';
    }
    await pause(wait);
  }
}
