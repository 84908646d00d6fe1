/**
 * Gap's webhook: a form-urlencoded POST of `chat_id, type, data, from` where `data` and `from`
 * hold JSON strings for anything but text (docs/messengers.md#gap-receiving). JSON bodies are accepted too.
 */
import * as v from 'valibot';
import { ChannelError } from '../../errors.ts';
import { check } from '../check.ts';
import { ContactPhone } from '../contact.ts';
import { readJson } from '../json.ts';
import type { ParsedUpdate, WebhookBody } from '../types.ts';

const CHANNEL = 'gap';
/**
 * Longer texts are not something a citizen types into a form: heard as something else, as on the
 * other messengers.
 */
const MAX_TEXT = 4096;

const Scalar = v.pipe(v.union([v.string(), v.number()]), v.transform(String));
/** A JSON value that arrives as a string in forms and may arrive as itself in JSON bodies. */
const Embedded = v.union([v.string(), v.looseObject({})]);

const Update = v.object({
  chat_id: v.pipe(Scalar, v.regex(/^[0-9A-Za-z_+-]{1,64}$/)),
  type: v.pipe(v.string(), v.regex(/^[A-Za-z]{1,32}$/)),
  data: v.optional(Embedded),
  from: v.optional(Embedded),
});

const From = v.object({ id: Scalar });
const TriggerButton = v.object({ data: Scalar, callback_id: v.pipe(v.string(), v.minLength(1), v.maxLength(128)) });
/**
 * A contact card (fixture shape, docs/messengers.md#gap-receiving): `{name, phone}`; the name is
 * not kept.
 */
const Contact = v.object({ phone: ContactPhone });

/**
 * @param windowMs how long a copy of an update without an id of its own counts as a redelivery
 */
export function parseGapUpdate(body: WebhookBody, receivedAt: number, windowMs: number): ParsedUpdate {
  const update = check(CHANNEL, Update, readFields(body));
  const base = {
    channel: CHANNEL,
    chatId: update.chat_id,
    userId: update.from === undefined ? null : senderId(update.from),
    // Gap bots have no group chats: a chat is one bot and one person (docs/messengers.md#group-chats).
    privateChat: true,
    text: null,
    button: null,
    contact: null,
    receivedAt,
  };
  // Gap's updates carry no id, but for button presses: the same chat, type and data within the
  // window is taken for a redelivery of the same update.
  const sameContent = { basis: [update.chat_id, update.type, contentOf(update.data)].join('\n'), windowMs };
  switch (update.type) {
    case 'text': {
      const text = check(CHANNEL, v.string(), update.data, 'data');
      // An empty or endless text is still the citizen's message: heard as something else, not refused.
      const heard = text && text.length <= MAX_TEXT ? { kind: 'text' as const, text } : { kind: 'other' as const };
      return { event: { ...base, ...heard }, dedupe: sameContent };
    }
    case 'triggerButton': {
      const pressed = check(CHANNEL, TriggerButton, embedded(update.data), 'data');
      return {
        event: { ...base, kind: 'button', button: { callbackId: pressed.callback_id, value: pressed.data } },
        dedupe: { basis: `callback\n${pressed.callback_id}`, windowMs: null },
      };
    }
    case 'contact': {
      const { phone } = check(CHANNEL, Contact, embedded(update.data), 'data');
      // Gap cannot tell a forwarded card from one shared with the `$contact` button.
      return { event: { ...base, kind: 'contact', contact: { phone, ownership: 'unknown' } }, dedupe: sameContent };
    }
    case 'join':
      return { event: { ...base, kind: 'join' }, dedupe: sameContent };
    default:
      return { event: { ...base, kind: 'other' }, dedupe: sameContent };
  }
}

function contentOf(data: string | Record<string, unknown> | undefined): string {
  return typeof data === 'string' ? data : JSON.stringify(data ?? null);
}

/**
 * A form, or JSON: whichever the body is (its type is not confirmed for Gap, and a wrong guess would
 * drop real updates). A field given twice is refused: which of the two to believe is anybody's guess.
 */
function readFields(body: WebhookBody): unknown {
  if (body.contentType.includes('json') || body.text.trimStart().startsWith('{')) {
    return readJson(CHANNEL, body.text, 'body');
  }
  const fields = new URLSearchParams(body.text);
  const names = [...fields.keys()];
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) throw new ChannelError(CHANNEL, `field ${repeated} is repeated`);
  return Object.fromEntries(fields);
}

function embedded(value: unknown): unknown {
  return typeof value === 'string' ? readJson(CHANNEL, value, 'data') : value;
}

/** The sender's Gap user id; a `from` that cannot be read is not a reason to drop the message. */
function senderId(from: unknown): string | null {
  const parsed = v.safeParse(From, safeJson(from));
  return parsed.success ? parsed.output.id : null;
}

function safeJson(value: unknown): unknown {
  try {
    return embedded(value);
  } catch {
    return null;
  }
}
