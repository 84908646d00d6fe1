/**
 * The one-time codes that prove a Gap contact card is the sender's own: drawn here (the engine
 * draws no random numbers), and compared by keyed hash, so the conversation state never holds one.
 */
import type { KeyedHash } from '../crypto/keyed-hash.ts';
import type { ChatKey } from '../store/db.ts';
import { normaliseIdentifier } from '../validation/normalise.ts';

const CODE_SPACE = 1_000_000;
/** The largest multiple of CODE_SPACE below 2^32: draws above it are redrawn, so every code is as likely. */
const FAIR_LIMIT = Math.floor(2 ** 32 / CODE_SPACE) * CODE_SPACE;

/** Six random digits. */
export function drawCode(): string {
  const word = new Uint32Array(1);
  do crypto.getRandomValues(word);
  while ((word[0] ?? FAIR_LIMIT) >= FAIR_LIMIT);
  return String((word[0] ?? 0) % CODE_SPACE).padStart(6, '0');
}

/** Bound to the chat, so a code sent for one chat proves nothing in another. */
export function codeHash(hash: KeyedHash, chat: ChatKey, code: string): Promise<string> {
  return hash(`one-time-code:${chat.channel}:${chat.chatId}:${code}`);
}

/** A typed text read as a code (Persian digits, spaces allowed), or null when it is not six digits. */
export function typedCode(text: string | null): string | null {
  const code = text === null ? '' : normaliseIdentifier(text);
  return /^\d{6}$/.test(code) ? code : null;
}
