/**
 * Sends a chat's queued replies in order. A reply the messenger accepted is never sent again; a
 * failed one is retried with backoff (at once for a short wait, else by the scheduled sweep) and
 * holds back the replies behind it, so order is kept. After MAX_SEND_ATTEMPTS, or a refusal that
 * retrying cannot mend, it is set aside and the citizen gets an apology.
 */
import { backoffDelay } from '../backoff.ts';
import type { Channel } from '../channels/types.ts';
import type { Deps } from '../deps.ts';
import { fa } from '../i18n/fa.ts';
import { log } from '../log.ts';
import type { ChatKey } from '../store/db.ts';
import { type DueRow, deadLetterReply, dueReplies, markRetry, markSent, type QueuedReply } from '../store/outbox.ts';

export const MAX_SEND_ATTEMPTS = 8;
const SEND_BACKOFF = { baseMs: 1_000, capMs: 5 * 60_000 };
/** A wait this short is spent here, holding the chat, rather than left to the next sweep. */
const WAIT_IN_PLACE_MS = 5_000;

/** @param due the due replies when they were read already (with the last commit) */
export async function deliverReplies(deps: Deps, chat: ChatKey, due?: DueRow[]): Promise<void> {
  const channel = deps.channels.get(chat.channel);
  if (!channel) return; // switched off: the replies wait in the outbox
  // A reply set aside queues an apology behind the others: read the queue again to send it too.
  for (let again = true, rows = due; again; rows = undefined) {
    again = false;
    for (const queued of await dueReplies(deps.store, chat, deps.now(), rows)) {
      const outcome = await deliverOne(deps, channel, chat, queued);
      if (outcome === 'waiting') return;
      again ||= outcome === 'set-aside';
    }
  }
}

async function deliverOne(
  deps: Deps,
  channel: Channel,
  chat: ChatKey,
  queued: QueuedReply,
): Promise<'sent' | 'set-aside' | 'waiting'> {
  for (let attempts = queued.attempts + 1; ; attempts++) {
    // A one-time code goes to the phone number's own chat, in the order of the conversation's replies.
    const result = await channel.send(queued.reply.to ?? chat.chatId, queued.reply);
    if (result.ok) {
      await markSent(deps.store, queued.id, result.remoteId, deps.now());
      return 'sent';
    }
    const giveUp = !result.retryable || attempts >= MAX_SEND_ATTEMPTS;
    log('send-failed', { channel: chat.channel, status: result.status, attempts, gaveUp: giveUp });
    if (giveUp) {
      await deadLetterReply(deps.store, chat, queued, { attempts, apology: { text: fa.apology }, now: deps.now() });
      return 'set-aside';
    }
    const wait = result.retryAfterMs ?? backoffDelay(attempts, SEND_BACKOFF);
    await markRetry(deps.store, queued.id, attempts, deps.now() + wait);
    if (wait > WAIT_IN_PLACE_MS) return 'waiting';
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
