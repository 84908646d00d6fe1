/**
 * What a messenger sandbox records: both sides of every chat in one numbered journal (ids shared
 * by both sides and never reused, so a console polling with `after` never misses an entry), bounded
 * so a long load run cannot grow it without end.
 */
import type { Hono } from 'hono';

const MAX_ENTRIES = 10_000;

export interface JournalEntry {
  id: number;
  side: string;
  time: string;
}

export class Journal<E extends JournalEntry> {
  private entries: E[] = [];
  private lastId = 0;

  /** The id the next recorded entry will get. */
  get nextId(): number {
    return this.lastId + 1;
  }

  record<T extends E>(entry: Omit<T, 'id' | 'time'>): T {
    const full = { ...entry, id: ++this.lastId, time: new Date().toISOString() } as T;
    this.entries.push(full);
    // Trimmed a tenth at a time, so a long load run does not copy the journal on every entry.
    if (this.entries.length > MAX_ENTRIES * 1.1) this.entries = this.entries.slice(-MAX_ENTRIES);
    return full;
  }

  /** Entries after `after`, of the given sides, that `matches` accepts; oldest first. */
  list(after: number, sides: readonly E['side'][], matches: (entry: E) => boolean = () => true): E[] {
    return this.entries.filter((e) => e.id > after && sides.includes(e.side) && matches(e));
  }

  clear(): void {
    this.entries = [];
  }
}

/** `after` from a query string: a non-negative integer (0 when absent), or null when malformed. */
export function afterParam(after: string | undefined): number | null {
  const n = after === undefined ? 0 : Number(after);
  return Number.isInteger(n) && n >= 0 ? n : null;
}

/** A journal entry of a chat-keyed messenger (Gap, the Bot-API family). */
export interface ChatEntry extends JournalEntry {
  chat_id: string | null;
}

/** A chat shown "typing…". */
export interface TypingEntry extends JournalEntry {
  side: 'typing';
  chat_id: string;
}

/**
 * The control routes of a chat-keyed sandbox: GET /_sandbox/messages (what the bot sent),
 * /_sandbox/conversation (both sides), /_sandbox/typing, and DELETE /_sandbox/messages.
 */
export function serveChatJournal<E extends ChatEntry>(
  app: Hono,
  journal: Journal<E>,
  typing: Journal<TypingEntry>,
  sides: { bot: E['side']; all: readonly E['side'][] },
): void {
  const query = (chatId: string | undefined, after: string | undefined) => {
    const from = afterParam(after);
    return from === null || chatId === ''
      ? null
      : { from, matches: (e: ChatEntry) => chatId === undefined || e.chat_id === chatId };
  };
  const invalid = { error: 'chat_id must be non-empty and after a non-negative integer' };

  app.get('/_sandbox/messages', (c) => {
    const q = query(c.req.query('chat_id'), c.req.query('after'));
    return q ? c.json({ messages: journal.list(q.from, [sides.bot], q.matches) }) : c.json(invalid, 400);
  });
  app.get('/_sandbox/conversation', (c) => {
    const q = query(c.req.query('chat_id'), c.req.query('after'));
    return q ? c.json({ entries: journal.list(q.from, sides.all, q.matches) }) : c.json(invalid, 400);
  });
  app.get('/_sandbox/typing', (c) => {
    const q = query(c.req.query('chat_id'), c.req.query('after'));
    return q ? c.json({ typing: typing.list(q.from, ['typing'], q.matches) }) : c.json(invalid, 400);
  });
  app.delete('/_sandbox/messages', (c) => {
    journal.clear();
    typing.clear();
    return c.body(null, 204);
  });
}
