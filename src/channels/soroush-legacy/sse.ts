/**
 * A parser of Server-Sent Events (the `text/event-stream` format of the WHATWG HTML standard,
 * §9.2.6): bytes in, as they arrive, split anywhere (inside a line, a CRLF pair or a UTF-8
 * sequence); whole events out. Lines end with CRLF, LF or CR; `data:` lines are joined with LF;
 * `id:` sets the last event id (one holding U+0000 is ignored); `retry:` sets the reconnection
 * time (digits only); lines opening with `:` are comments; a blank line dispatches.
 */

export interface SseEvent {
  /** The `event:` field, `message` when the event has none. */
  event: string;
  data: string;
  /** The `id:` field of this event's own lines, null when it had none. */
  id: string | null;
  /** The last event id in force when it was dispatched (an event without an `id:` keeps the previous one). */
  lastEventId: string;
}

/** Past this, a line or an event's data is not a bot message but a broken or hostile stream. */
const MAX_BUFFER = 1024 * 1024;

export class SseParser {
  /** The last event id in force, as a reconnecting client sends it back; '' when none. */
  lastEventId = '';
  /** The reconnection time the stream asked for, in ms, or null when it never did. */
  retryMs: number | null = null;

  readonly #decoder = new TextDecoder('utf-8');
  #line = '';
  /** The previous chunk ended with CR: an LF opening this one belongs to it. */
  #afterCr = false;
  #data: string[] = [];
  #dataLength = 0;
  #event = '';
  #id: string | null = null;

  /**
   * Takes the next bytes of the stream.
   * @returns the events they complete, in order
   * @throws RangeError when a line or an event grows past 1 MiB
   */
  feed(chunk: Uint8Array): SseEvent[] {
    // The decoder drops the one byte order mark a stream may open with.
    let text = this.#decoder.decode(chunk, { stream: true });
    if (this.#afterCr && text) {
      if (text.startsWith('\n')) text = text.slice(1);
      this.#afterCr = false;
    }
    if (text) this.#afterCr = text.endsWith('\r');
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const char = text.charCodeAt(i);
      if (char !== 0x0a && char !== 0x0d) continue;
      const line = this.#line + text.slice(start, i);
      this.#line = '';
      const event = this.#readLine(line);
      if (event) events.push(event);
      if (char === 0x0d && text.charCodeAt(i + 1) === 0x0a) i++;
      start = i + 1;
    }
    this.#line += text.slice(start);
    if (this.#line.length > MAX_BUFFER) throw new RangeError('an event-stream line is over 1 MiB');
    return events;
  }

  /** The stream ended: an event without its closing blank line is discarded, as the standard says. */
  end(): void {
    this.#decoder.decode();
    this.#line = '';
    this.#afterCr = false;
    this.#reset();
  }

  /** Processes one line; a blank one returns the event it completes, if any. */
  #readLine(line: string): SseEvent | null {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#event = value;
        break;
      case 'data':
        this.#data.push(value);
        this.#dataLength += value.length + 1;
        if (this.#dataLength > MAX_BUFFER) throw new RangeError('an event-stream event is over 1 MiB');
        break;
      case 'id':
        if (!value.includes('\0')) {
          this.lastEventId = value;
          this.#id = value;
        }
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      // Any other field is ignored.
    }
    return null;
  }

  #dispatch(): SseEvent | null {
    const event =
      this.#data.length === 0
        ? null
        : { event: this.#event || 'message', data: this.#data.join('\n'), id: this.#id, lastEventId: this.lastEventId };
    this.#reset();
    return event;
  }

  #reset(): void {
    this.#data = [];
    this.#dataLength = 0;
    this.#event = '';
    this.#id = null;
  }
}
