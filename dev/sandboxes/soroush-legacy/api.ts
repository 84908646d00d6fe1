/**
 * The Soroush legacy sandbox's fake of Soroush's older bot API ("MrBot",
 * docs/messengers.md#soroush-legacy), token in the path: GET /<token>/getMessage, the update stream
 * a bot reads (Server-Sent Events, one JSON message per event, numbered with `id:` unless told not
 * to, replayed after a reconnect's Last-Event-ID), and POST /<token>/sendMessage (JSON), which it
 * answers with.
 */
import type { Hono } from 'hono';
import * as v from 'valibot';
import { fieldsOf, parseJson, sleep } from '../kit/basics.ts';
import { sameSecret, tokenGuard } from '../kit/guard.ts';
import {
  type LegacyBotMessage,
  type LegacyConnection,
  type LegacyEnv,
  type LegacyState,
  type LiveStream,
  NonEmpty,
} from './state.ts';

const SEND_TYPES = ['TEXT', 'FILE', 'LOCATION', 'CHANGE'] as const;
const Button = v.object({ text: NonEmpty, command: NonEmpty });
const SendBody = v.object({
  type: v.picklist(SEND_TYPES),
  to: NonEmpty,
  body: v.optional(v.string()),
  time: v.optional(v.string()),
  keyboard: v.optional(v.array(v.array(Button))),
});

const encoder = new TextEncoder();
const answer = (resultCode: number, resultMessage: string, status = 200) =>
  Response.json({ resultCode, resultMessage }, { status });

export function serveLegacyApi(app: Hono<LegacyEnv>, state: LegacyState): void {
  const { options, journal, events, live, faults } = state;
  const textLimit = options.textLimit ?? 4096;
  const authorised = tokenGuard<LegacyEnv>(
    options.token,
    (c) => c.req.param('token'),
    () => answer(401, 'Unauthorized', 401),
  );

  function eventStream(
    connection: LegacyConnection,
    socket: LiveStream['socket'],
    start: (stream: LiveStream) => void,
  ): Response {
    let self: LiveStream | undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        self = { controller, connection, socket };
        start(self);
      },
      cancel() {
        if (self) state.forget(self, 'closed');
      },
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
  }

  app.get('/:token/getMessage', (c) => {
    const validToken = sameSecret(c.req.param('token'), options.token);
    const lastEventId = c.req.header('last-event-id') ?? null;
    if (!validToken && options.wrongToken === 'refuse') return answer(401, 'Unauthorized', 401);
    const connection: LegacyConnection = {
      lastEventId,
      validToken,
      state: 'open',
      openedAt: new Date().toISOString(),
      events: 0,
      keepAlives: 0,
    };
    state.opened(connection);
    return eventStream(connection, c.env?.outgoing, (stream) => {
      if (!validToken) {
        if (options.wrongToken === 'close') {
          connection.state = 'closed';
          stream.controller.close();
        }
        // Otherwise open and empty, for as long as the bot cares to wait.
        return;
      }
      if (options.retryMs !== undefined) stream.controller.enqueue(encoder.encode(`retry: ${options.retryMs}\n\n`));
      // After Last-Event-ID: whatever came after it; else whatever no stream has carried yet.
      const after = state.eventIds && lastEventId !== null && /^\d+$/.test(lastEventId) ? Number(lastEventId) : null;
      for (const event of events) {
        if (after === null ? event.sent : event.seq <= after) continue;
        stream.controller.enqueue(state.frame(event));
        connection.events += 1;
        event.sent = true;
      }
      if (options.keepAliveMs)
        stream.keepAlive = setInterval(() => {
          if (state.write(stream, encoder.encode(': keep-alive\n\n'))) connection.keepAlives += 1;
        }, options.keepAliveMs);
      live.add(stream);
    });
  });

  app.post('/:token/sendMessage', authorised, async (c) => {
    const body = v.safeParse(SendBody, parseJson(await c.req.text()));
    const injected = faults.take(body.success ? body.output.to : '');
    if (injected && 'status' in injected) {
      const headers = injected.retryAfter === undefined ? undefined : { 'retry-after': String(injected.retryAfter) };
      return Response.json(
        { resultCode: injected.status, resultMessage: `injected fault ${injected.status}` },
        { status: injected.status, headers },
      );
    }
    if (injected && 'resultCode' in injected)
      return answer(injected.resultCode, `injected refusal ${injected.resultCode}`);
    if (!body.success) return answer(400, `invalid field(s): ${fieldsOf(body.issues)}`, 400);
    const { type, to, body: text, keyboard } = body.output;
    if (type === 'TEXT' && !text?.trim()) return answer(400, 'body is empty', 400);
    if ((text?.length ?? 0) > textLimit) return answer(400, 'body is too long', 400);
    journal.record<LegacyBotMessage>({
      side: 'bot',
      to,
      type,
      ...(text !== undefined && { body: text }),
      ...(keyboard && { keyboard }),
    });
    // A timeout fault: the message is accepted and recorded, but the answer comes late (an ambiguous send).
    if (injected && 'timeoutMs' in injected) await sleep(injected.timeoutMs);
    return answer(200, 'OK');
  });

  app.all('/:token/:method', authorised, () => answer(404, 'Not Found', 404));
}
