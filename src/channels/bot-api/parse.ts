/**
 * The webhook of a Telegram-style Bot API (Soroush Plus, Bale; docs/messengers.md#bot-api-updates): one JSON
 * `Update` with its `update_id` and one of `message`, `callback_query`, or a kind we do not serve.
 * Only the fields Pishkhan reads are validated, so that a messenger adding or dropping others
 * (these are clones, documented mostly by third parties) does not turn its updates into 400s.
 */
import * as v from 'valibot';
import { ChannelError } from '../../errors.ts';
import type { InboundEvent } from '../../types.ts';
import { check } from '../check.ts';
import { ContactPhone } from '../contact.ts';
import { parseExactJson } from '../exact-json.ts';
import { readJson } from '../json.ts';
import type { ParsedUpdate, WebhookBody } from '../types.ts';

/** Longer texts are not something a citizen types into a form; they are heard as `other`. */
const MAX_TEXT = 4096;

/**
 * An integer id, as the digits it was written with: chat and user ids may exceed 2^53, so the body
 * is parsed with every integer kept as text (exact-json.ts) rather than rounded to a double.
 */
const Id = v.pipe(v.string(), v.regex(/^-?\d{1,20}$/));
/**
 * `private`, `group`, `supergroup`, `channel`; Bale's are the first, second and last
 * (docs/messengers.md#group-chats).
 */
const Chat = v.looseObject({ id: Id, type: v.optional(v.string()) });
const User = v.looseObject({ id: Id });

const Message = v.looseObject({
  chat: Chat,
  from: v.optional(User),
  text: v.optional(v.string()),
  contact: v.optional(v.looseObject({ phone_number: ContactPhone, user_id: v.optional(Id) })),
});

const CallbackQuery = v.looseObject({
  id: v.pipe(v.string(), v.minLength(1), v.maxLength(256)),
  from: User,
  // Absent for game buttons, which Pishkhan never sends.
  data: v.optional(v.pipe(v.string(), v.maxLength(256))),
  message: v.looseObject({ chat: Chat }),
});

const Update = v.looseObject({
  update_id: v.pipe(Id, v.regex(/^\d/)),
  message: v.optional(Message),
  callback_query: v.optional(CallbackQuery),
});

/** What any other kind of update may carry to say which chat it concerns. */
const Carrier = v.looseObject({
  chat: v.optional(Chat),
  from: v.optional(User),
  message: v.optional(v.looseObject({ chat: Chat })),
});

/** @param channel the messenger's name (`soroush`, `bale`), for the event and its errors */
export function parseBotApiUpdate(channel: string, body: WebhookBody, receivedAt: number): ParsedUpdate {
  // JSON whatever the content type says, or when it says nothing: these clones are not all documented.
  const update = check(channel, Update, readJson(channel, body.text, 'body', parseExactJson));
  const base = { channel, text: null, button: null, contact: null, receivedAt };
  // The messenger numbers its updates: a redelivery carries the same number, whenever it comes.
  const dedupe = { basis: `update:${update.update_id}`, windowMs: null };
  return { event: { ...base, ...eventOf(channel, update) }, dedupe };
}

type Parts = Pick<InboundEvent, 'chatId' | 'userId' | 'privateChat' | 'kind'> &
  Partial<Pick<InboundEvent, 'text' | 'button' | 'contact'>>;

/** A chat is private when it says so, or, saying nothing, when it is its sender's own (its id is theirs). */
function privateChat(chat: { id: string; type?: string }, senderId: string | null | undefined): boolean {
  return chat.type === undefined ? chat.id === senderId : chat.type === 'private';
}

function eventOf(channel: string, update: v.InferOutput<typeof Update>): Parts {
  const { message, callback_query: query } = update;
  if (query) {
    const { chat: where } = query.message;
    const chat = { chatId: where.id, userId: query.from.id, privateChat: privateChat(where, query.from.id) };
    if (query.data === undefined || query.data === '') return { ...chat, kind: 'other' };
    return { ...chat, kind: 'button', button: { callbackId: query.id, value: query.data } };
  }
  if (message) {
    const userId = message.from?.id ?? null;
    const chat = { chatId: message.chat.id, userId, privateChat: privateChat(message.chat, userId) };
    if (message.contact) {
      const { phone_number: phone, user_id: owner } = message.contact;
      const ownership =
        owner === undefined || chat.userId === null ? 'unknown' : owner === chat.userId ? 'own' : 'other';
      return { ...chat, kind: 'contact', contact: { phone, ownership } };
    }
    if (message.text && message.text.length <= MAX_TEXT) return { ...chat, kind: 'text', text: message.text };
    return { ...chat, kind: 'other' };
  }
  return otherUpdate(channel, update);
}

/** An edited message, a membership change…: heard as `other`, in the chat it names. */
function otherUpdate(channel: string, update: Record<string, unknown>): Parts {
  for (const [key, value] of Object.entries(update)) {
    if (key === 'update_id') continue;
    const carrier = v.safeParse(Carrier, value);
    if (!carrier.success) continue;
    const { chat, from, message } = carrier.output;
    // In a private chat of these APIs the chat id is the user's id: the fallback for updates
    // that name only their sender.
    const where = chat ?? message?.chat ?? (from && { id: from.id });
    if (where)
      return { chatId: where.id, userId: from?.id ?? null, privateChat: privateChat(where, from?.id), kind: 'other' };
  }
  throw new ChannelError(channel, 'update names no chat');
}
