/**
 * The Gap sandbox's fake of Gap's bot API (header `token`, form bodies): POST /sendMessage,
 * POST /sendAction, POST /answerCallback. What the bot sends is recorded in the sandbox's journal,
 * after any injected fault has had its say.
 */
import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import * as v from 'valibot';
import { fieldsOf, parseJson, sleep } from '../kit/basics.ts';
import { tokenGuard } from '../kit/guard.ts';
import type { TypingEntry } from '../kit/journal.ts';
import {
  type GapBotMessage,
  type GapCallbackAnswer,
  type GapState,
  InlineKeyboardSchema,
  NonEmpty,
  ReplyKeyboardSchema,
} from './state.ts';

const SEND_TYPES = ['text', 'image', 'video', 'audio', 'voice', 'file', 'contact', 'location'] as const;

const SendForm = v.object({
  chat_id: NonEmpty,
  type: v.picklist(SEND_TYPES),
  data: v.pipe(v.string(), v.nonEmpty()), // text kept as sent
  reply_keyboard: v.optional(v.string()),
  inline_keyboard: v.optional(v.string()),
  form: v.optional(v.string()),
});
// `typing` is the only action Gap has (docs/messengers.md#gap-sending).
const ActionForm = v.object({ chat_id: NonEmpty, type: v.literal('typing') });
const CallbackForm = v.object({
  chat_id: NonEmpty,
  callback_id: NonEmpty,
  text: v.optional(v.string(), ''),
  show_alert: v.optional(v.picklist(['true', 'false']), 'false'),
});

/** Parses a JSON-in-a-form-field keyboard; `undefined` in, `undefined` out; `null` when invalid. */
function parseKeyboard<S extends v.GenericSchema>(
  schema: S,
  raw: string | undefined,
): v.InferOutput<S> | undefined | null {
  if (raw === undefined || raw === '') return undefined;
  const parsed = v.safeParse(schema, parseJson(raw));
  return parsed.success ? parsed.output : null;
}

export function serveGapApi(app: Hono, { options, journal, typing, faults }: GapState): void {
  const authorised = tokenGuard(
    options.token,
    (c) => c.req.header('token'),
    (c) => c.json({ error: 'invalid token' }, 403),
  );

  app.post('/sendMessage', authorised, async (c) => {
    const form = v.safeParse(SendForm, await c.req.parseBody());
    const injected = faults.take(form.success ? form.output.chat_id : '');
    if (injected && 'status' in injected) {
      if (injected.retryAfter !== undefined) c.header('Retry-After', String(injected.retryAfter));
      return c.json({ error: `injected fault ${injected.status}` }, injected.status as ContentfulStatusCode);
    }
    if (!form.success) return c.json({ error: `missing or invalid field(s): ${fieldsOf(form.issues)}` }, 400);
    const replyKeyboard = parseKeyboard(ReplyKeyboardSchema, form.output.reply_keyboard);
    const inlineKeyboard = parseKeyboard(InlineKeyboardSchema, form.output.inline_keyboard);
    if (replyKeyboard === null) return c.json({ error: 'reply_keyboard is not a valid keyboard JSON' }, 400);
    if (inlineKeyboard === null) return c.json({ error: 'inline_keyboard is not a valid keyboard JSON' }, 400);
    const { chat_id, type, data } = form.output;
    const message = journal.record<GapBotMessage>({
      side: 'bot',
      chat_id,
      type,
      data,
      ...(replyKeyboard && { reply_keyboard: replyKeyboard }),
      ...(inlineKeyboard && { inline_keyboard: inlineKeyboard }),
    });
    // A timeout fault: the message is accepted and recorded, but the answer comes late (an ambiguous send).
    if (injected && 'timeoutMs' in injected) await sleep(injected.timeoutMs);
    return c.json({ id: message.id });
  });

  app.post('/sendAction', authorised, async (c) => {
    const form = v.safeParse(ActionForm, await c.req.parseBody());
    if (!form.success) return c.json({ error: `missing or invalid field(s): ${fieldsOf(form.issues)}` }, 400);
    typing.record<TypingEntry>({ side: 'typing', chat_id: form.output.chat_id });
    return c.json({});
  });

  app.post('/answerCallback', authorised, async (c) => {
    const form = v.safeParse(CallbackForm, await c.req.parseBody());
    if (!form.success) return c.json({ error: `missing or invalid field(s): ${fieldsOf(form.issues)}` }, 400);
    const { chat_id, callback_id, text, show_alert } = form.output;
    journal.record<GapCallbackAnswer>({
      side: 'callback',
      chat_id,
      callback_id,
      text,
      show_alert: show_alert === 'true',
    });
    return c.json({});
  });
}
