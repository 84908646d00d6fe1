/**
 * One message of Soroush legacy's stream (docs/messengers.md#soroush-legacy-messages): the JSON
 * inside one SSE `data:`, `{type, from, body, time, fileType, phoneNo, …}`. Only the fields
 * Pishkhan reads are validated.
 *
 * - `TEXT`: typed text, or a keyboard press (the press is assumed to send the button's `command` as
 *   the body: a guess, docs/messengers.md#soroush-legacy-messages). Pishkhan's inline choices carry
 *   CHOICE_MARK before their value, so a press on one is heard as a `button` event; every other
 *   command is the word it shows, heard as text.
 * - `START` is the citizen opening the bot (`join`); a `FILE` of `fileType: CONTACT` is a shared
 *   card (`phoneNo`); other files and locations are `other`.
 * - `STOP`, `SELF_SEEN`, `CHANGE`, `INFORMATION` and types we do not know concern no conversation
 *   and are dropped (null): answering a read receipt would answer our own messages, without end.
 *
 * Dedupe: no message id is documented. A message that carries its `time` (the server's
 * milliseconds) is keyed by its sender, time, type, body and file: a copy, replayed or re-sent, is
 * the same message, and two messages cannot share all of it. The SSE `id` is not part of that key:
 * it marks a position in the stream, and a server that numbered each connection's events afresh, or
 * a replay's, would have it swallow another message or miss a copy. Without a time, the key is the
 * SSE id (when sent) with the message; with neither, the message is claimed for `windowMs`, like
 * Gap's texts.
 */
import * as v from 'valibot';
import { check } from '../check.ts';
import { ContactPhone } from '../contact.ts';
import { readJson } from '../json.ts';
import type { ParsedUpdate, WebhookBody } from '../types.ts';

export const CHANNEL = 'soroush-legacy';

/**
 * Opens the command of a button that stands for an inline choice (render.ts): U+2063 INVISIBLE
 * SEPARATOR, which no keyboard types and which shows as nothing should the command be displayed.
 */
export const CHOICE_MARK = '\u2063';

/** Longer texts are not something a citizen types into a form; they are heard as `other`. */
const MAX_TEXT = 4096;

/**
 * The per-bot user id: an opaque string of about 60 characters (confirmed:
 * docs/messengers.md#soroush-legacy-messages).
 */
const UserId = v.pipe(v.string(), v.regex(/^[\x21-\x7e]{1,256}$/));
/** Epoch milliseconds, as a string in the SDKs; Camel's model would write a number. */
const Time = v.pipe(
  v.union([v.pipe(v.string(), v.regex(/^\d{1,16}$/)), v.pipe(v.number(), v.safeInteger(), v.minValue(0))]),
  v.transform(String),
);
/** Camel types `phoneNo` as a number (a double): digits either way. */
const PhoneNo = v.pipe(
  v.union([v.string(), v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.transform(String))]),
  ContactPhone,
);
const Text = v.nullish(v.pipe(v.string(), v.maxLength(64 * 1024)));

const Message = v.looseObject({
  type: v.pipe(v.string(), v.regex(/^[A-Za-z_]{1,32}$/), v.toUpperCase()),
  from: UserId,
  body: Text,
  time: v.nullish(Time),
  fileType: v.nullish(v.pipe(v.string(), v.maxLength(64))),
  fileUrl: Text,
});
type Message = v.InferOutput<typeof Message>;

/** The types that carry what a citizen says or does; the rest are notices, dropped. */
const HEARD = new Set(['TEXT', 'START', 'FILE', 'LOCATION']);

/**
 * @param windowMs how long a copy of a message with neither a time nor an SSE id counts as a redelivery
 * @returns the update, or null for a notice that concerns no conversation
 * @throws ChannelError when the message is malformed
 */
export function parseSoroushLegacyMessage(
  body: WebhookBody,
  receivedAt: number,
  windowMs: number,
): ParsedUpdate | null {
  const json = readJson(CHANNEL, body.text, 'message');
  const message = check(CHANNEL, Message, json, 'message');
  if (!HEARD.has(message.type)) return null;
  const event = {
    channel: CHANNEL,
    chatId: message.from,
    userId: message.from,
    // This API's chats are one to one: a message comes from, and goes to, one person.
    privateChat: true,
    text: null,
    button: null,
    contact: null,
    receivedAt,
    ...partsOf(message, json),
  };
  const content = [message.from, message.type, message.body ?? '', message.fileUrl ?? ''];
  const dedupe =
    message.time != null
      ? { basis: ['time', message.time, ...content].join('\n'), windowMs: null }
      : body.eventId !== undefined
        ? { basis: ['event', body.eventId, ...content].join('\n'), windowMs: null }
        : { basis: ['content', ...content].join('\n'), windowMs };
  return { event, dedupe };
}

type Parts = Pick<ParsedUpdate['event'], 'kind'> & Partial<Pick<ParsedUpdate['event'], 'text' | 'button' | 'contact'>>;

function partsOf(message: Message, json: unknown): Parts {
  const body = message.body ?? '';
  switch (message.type) {
    case 'START':
      return { kind: 'join' };
    case 'TEXT': {
      if (body.startsWith(CHOICE_MARK)) {
        const value = body.slice(CHOICE_MARK.length);
        // No callback to answer on this API: the press has no id of its own.
        return value ? { kind: 'button', button: { callbackId: '', value } } : { kind: 'other' };
      }
      return body && body.length <= MAX_TEXT ? { kind: 'text', text: body } : { kind: 'other' };
    }
    case 'FILE': {
      if (message.fileType?.toUpperCase() !== 'CONTACT') return { kind: 'other' };
      const { phoneNo } = check(CHANNEL, v.looseObject({ phoneNo: PhoneNo }), json, 'message');
      // Whether the card is the sender's own is not said: the binding confirms it with a code.
      return { kind: 'contact', contact: { phone: phoneNo, ownership: 'unknown' } };
    }
    default:
      return { kind: 'other' };
  }
}
