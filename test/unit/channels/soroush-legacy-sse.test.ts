import { describe, expect, it } from 'vitest';
import { type SseEvent, SseParser } from '../../../src/channels/soroush-legacy/sse.ts';

const bytes = (text: string) => new TextEncoder().encode(text);

/** Feeds the stream in the pieces given, and returns every event with the parser's final state. */
function parse(pieces: Uint8Array[]) {
  const parser = new SseParser();
  const events = pieces.flatMap((piece) => parser.feed(piece));
  return { events, lastEventId: parser.lastEventId, retryMs: parser.retryMs };
}

/** Every way of cutting the bytes in two, and in single bytes. */
function cuts(data: Uint8Array): Uint8Array[][] {
  const ways: Uint8Array[][] = [Array.from(data, (byte) => Uint8Array.of(byte))];
  for (let at = 0; at <= data.length; at++) ways.push([data.slice(0, at), data.slice(at)]);
  return ways;
}

const ev = (data: string, id: string | null, lastEventId: string, event = 'message'): SseEvent => ({
  event,
  data,
  id,
  lastEventId,
});

describe('the Server-Sent Events parser', () => {
  const stream = bytes(
    [
      ': a comment, then a retry',
      'retry: 2500',
      '',
      'id: 1',
      'data: {"type":"TEXT","body":"سلام ۱۲۳"}',
      '',
      'event: notice',
      'data:first line',
      'data: second line',
      'data',
      '',
      'data: inherits the id',
      '',
      'id: 2',
      '',
      'id',
      'data: id reset',
      '',
      'data: never closed',
    ].join('\r\n'),
  );
  const expected = [
    ev('{"type":"TEXT","body":"سلام ۱۲۳"}', '1', '1'),
    ev('first line\nsecond line\n', null, '1', 'notice'),
    ev('inherits the id', null, '1'),
    ev('id reset', '', ''),
  ];

  it('reads events, multi-line data, ids, comments and retry, however the bytes are cut', () => {
    for (const pieces of cuts(stream)) {
      const parsed = parse(pieces);
      expect(parsed.events).toEqual(expected);
      expect(parsed.retryMs).toBe(2500);
    }
  });

  it('reads LF, CR and CRLF line ends alike, also a CR and its LF in different chunks', () => {
    const text = 'id: 7\ndata: a\r\rdata: b\r\n\r\n';
    expect(parse([bytes(text)]).events).toEqual([ev('a', '7', '7'), ev('b', null, '7')]);
    expect(parse([bytes('data: a\r'), bytes('\n'), bytes('\n')]).events).toEqual([ev('a', null, '')]);
    // The CR ended the line; the LF that follows in the next chunk must not end another (empty) one.
    expect(parse([bytes('data: a\r'), bytes('\ndata: b\n\n')]).events).toEqual([ev('a\nb', null, '')]);
  });

  it('strips one space after the colon only, and one byte order mark at the start only', () => {
    expect(parse([bytes('\ufeffdata:  two spaces\n\n')]).events).toEqual([ev(' two spaces', null, '')]);
    expect(parse([bytes('data: x\n\n')]).events).toEqual([ev('x', null, '')]);
  });

  it('keeps the last event id from an event without data, ignores an id with NUL, and a retry that is not digits', () => {
    const parsed = parse([bytes('id: 41\n\nid: 4\u00002\nretry: 1e3\nretry: -5\n\n')]);
    expect(parsed.events).toEqual([]);
    expect(parsed.lastEventId).toBe('41');
    expect(parsed.retryMs).toBeNull();
  });

  it('ignores unknown fields, and dispatches nothing for a block without data', () => {
    expect(parse([bytes('foo: bar\nevent: x\n\ndata: y\n\n')]).events).toEqual([ev('y', null, '')]);
  });

  it('discards an event left without its blank line when the stream ends', () => {
    const parser = new SseParser();
    expect(parser.feed(bytes('data: cut off'))).toEqual([]);
    parser.end();
    expect(parser.feed(bytes('data: next\n\n'))).toEqual([ev('next', null, '')]);
  });

  it('refuses a line that grows past 1 MiB', () => {
    const parser = new SseParser();
    expect(() => parser.feed(bytes(`data: ${'x'.repeat(1024 * 1024 + 1)}`))).toThrow(RangeError);
  });
});
