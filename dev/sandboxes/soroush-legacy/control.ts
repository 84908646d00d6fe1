/**
 * The Soroush legacy sandbox's control routes, for tests and developers (JSON): the recorded
 * conversation (GET/DELETE /_sandbox/messages, GET /_sandbox/conversation), the citizen's side
 * (POST /_sandbox/deliver pushes a message, or raw data, into the stream; messages pushed while no
 * stream is open wait for the next one), the faults a developer or a test needs: a stream dropped on
 * demand (POST /_sandbox/drop: closed, broken, or silently abandoned as the service is said to do),
 * send failures per recipient (POST/DELETE /_sandbox/faults); and GET /_sandbox/streams.
 */
import type { Hono } from 'hono';
import * as v from 'valibot';
import { fieldsOf, parseJson } from '../kit/basics.ts';
import { afterParam } from '../kit/journal.ts';
import {
  FaultBody,
  type LegacyCitizenMessage,
  type LegacyEntry,
  type LegacyEnv,
  type LegacyState,
  NonEmpty,
  type StoredEvent,
} from './state.ts';

/** Data put on the stream as it is, malformed or not. */
const DeliverRaw = v.strictObject({ raw: v.string() });
// Any further field (fileType, phoneNo, latitude, …) goes into the message as it is.
const DeliverMessage = v.looseObject({
  from: NonEmpty,
  type: v.optional(NonEmpty, 'TEXT'),
  body: v.optional(v.string()),
  // Epoch ms, the sandbox's clock by default; null leaves it out.
  time: v.optional(v.nullable(v.union([v.string(), v.number()]))),
});
const DropBody = v.optional(v.object({ mode: v.optional(v.picklist(['close', 'error', 'silent']), 'close') }), {});

export function serveLegacyControl(app: Hono<LegacyEnv>, state: LegacyState): void {
  const { journal, events, live, faults } = state;

  app.get('/_sandbox/messages', (c) => {
    const to = c.req.query('to');
    const after = afterParam(c.req.query('after'));
    if (after === null || to === '')
      return c.json({ error: 'to must be non-empty and after a non-negative integer' }, 400);
    const messages = journal.list(after, ['bot'], (e) => to === undefined || (e.side === 'bot' && e.to === to));
    return c.json({ messages });
  });
  app.get('/_sandbox/conversation', (c) => {
    const user = c.req.query('user');
    const after = afterParam(c.req.query('after'));
    if (after === null || user === '')
      return c.json({ error: 'user must be non-empty and after a non-negative integer' }, 400);
    const mine = (e: LegacyEntry) => user === undefined || (e.side === 'bot' ? e.to === user : e.from === user);
    return c.json({ entries: journal.list(after, ['bot', 'citizen'], mine) });
  });
  app.delete('/_sandbox/messages', (c) => {
    journal.clear();
    return c.body(null, 204);
  });

  app.post('/_sandbox/deliver', async (c) => {
    const json = parseJson(await c.req.text());
    const raw = v.safeParse(DeliverRaw, json);
    let data: string;
    let from: string | null = null;
    if (raw.success) {
      data = raw.output.raw;
    } else {
      const body = v.safeParse(DeliverMessage, json);
      if (!body.success)
        return c.json({ error: `expected {raw} or a message; invalid field(s): ${fieldsOf(body.issues)}` }, 400);
      const { time, ...message } = body.output;
      from = message.from;
      const stamped = time === null ? {} : { time: String(time ?? Date.now()) };
      data = JSON.stringify({ ...message, ...stamped });
    }
    const event: StoredEvent = { seq: events.length + 1, data, sent: false };
    events.push(event);
    journal.record<LegacyCitizenMessage>({ side: 'citizen', event: event.seq, from, data });
    let streams = 0;
    for (const stream of [...live]) {
      if (!state.write(stream, state.frame(event))) continue;
      stream.connection.events += 1;
      streams++;
    }
    event.sent = streams > 0;
    return c.json({ event: event.seq, streams });
  });

  app.post('/_sandbox/drop', async (c) => {
    const raw = await c.req.text();
    const body = v.safeParse(DropBody, raw ? parseJson(raw) : undefined);
    if (!body.success) return c.json({ error: 'expected {mode?: "close" | "error" | "silent"}' }, 400);
    const { mode } = body.output;
    const dropped = [...live];
    for (const stream of dropped) {
      // Silent: the stream is no longer written to, and stays open; the bot hears nothing of it.
      state.forget(stream, mode === 'silent' ? 'silenced' : 'closed');
      if (mode === 'close') stream.controller.close();
      // Error: the connection breaks off (under Node, its socket is destroyed), as a network failure would.
      if (mode === 'error') {
        if (stream.socket) stream.socket.destroy();
        else stream.controller.error(new Error('dropped by the sandbox'));
      }
    }
    return c.json({ dropped: dropped.length });
  });

  app.get('/_sandbox/streams', (c) => c.json({ open: live.size, connections: state.connections }));

  faults.serve(
    app,
    FaultBody,
    'expected {status, retryAfter?, to?}, {resultCode, to?} or {timeoutMs, to?}, each with count?, forMs? and rate?',
  );
}
