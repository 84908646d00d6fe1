/**
 * Sends a chat's queued replies in order. A reply the messenger accepted is never sent again;
 * one that failed waits (with backoff) and holds back the replies behind it, so order is kept.
 */
import { backoffDelay } from '../backoff.ts';
import type { Deps } from '../deps.ts';
import { log } from '../log.ts';
import type { ChatKey } from '../store/db.ts';
import { dueReplies, markAttempt, markSent } from '../store/outbox.ts';

/** After this many failed attempts a reply is set aside. */
export const MAX_SEND_ATTEMPTS = 8;
const SEND_BACKOFF = { baseMs: 1_000, capMs: 60_000 };

export async function deliverReplies(deps: Deps, chat: ChatKey): Promise<void> {
  const channel = deps.channels.get(chat.channel);
  if (!channel) return; // switched off: the replies wait in the outbox
  for (const queued of await dueReplies(deps.db, chat, deps.now())) {
    const result = await channel.send(chat.chatId, queued.reply);
    if (result.ok) {
      await markSent(deps.db, queued.id, result.remoteId, deps.now());
      continue;
    }
    const attempts = queued.attempts + 1;
    const giveUp = !result.retryable || attempts >= MAX_SEND_ATTEMPTS;
    const wait = result.retryAfterMs ?? backoffDelay(attempts, SEND_BACKOFF);
    await markAttempt(deps.db, queued.id, attempts, giveUp ? null : deps.now() + wait);
    log('send-failed', { channel: chat.channel, status: result.status, attempts, gaveUp: giveUp });
    if (!giveUp) return;
  }
}
