/**
 * A scripted citizen for conversation tests: `talk(messenger)` opens a chat of its own on Gap,
 * Soroush Plus or Bale through the worker's real webhook; the citizen says, presses, shares a
 * contact or binds, and `reply()` reads the bot's next message to that chat off the messenger's
 * sandbox. The matchers that read a reply (`toOffer`, `toAsk`, `toGiveReason`, `toAnswer`) come with it.
 *
 * @example
 * const chat = await talk('bale');
 * await chat.say('سلام');
 * expect(await chat.reply()).toOffer('نشانی از کد پستی');
 */
import { expect } from 'vitest';
import { faIdentity } from '../../src/i18n/fa-identity.ts';
import { codeSentTo, international, shareContact as shareGapContact } from './binding.ts';
import * as botApi from './bot-api.ts';
import { waitForRelease } from './database.ts';
import * as gap from './gap.ts';
import './matchers.ts';

/** The messengers the integration tests reach (Soroush legacy's stream is the runtime tests' ground). */
export type Messenger = 'gap' | botApi.Messenger;

export interface Button {
  label: string;
  /** A reply-keyboard key sends a text; an inline button sends its callback. */
  kind: 'reply' | 'inline';
  /** The text or callback data a press sends; `null` for a key that shares the phone number instead. */
  value: string | null;
}

/** One message the bot sent, as the citizen sees it. */
export interface Reply {
  text: string;
  /** Every button, the message's reply keyboard first, row by row. */
  buttons: Button[];
  /** The reply keyboard's labels, in order. */
  keyboard: string[];
  /** The inline buttons' labels, in order. */
  inline: string[];
}

export interface Identity {
  mobile: string;
  nationalCode: string;
}

export interface Chat {
  readonly messenger: Messenger;
  readonly chatId: string;
  /** Sends a text; the webhook must take it (200). */
  say(text: string): Promise<void>;
  /** Presses the button labelled `label` on the latest message that has one, as the messenger would send it. */
  press(label: string): Promise<void>;
  /** Shares a contact card with this mobile (09…), as the contact button does. */
  shareContact(mobile: string): Promise<void>;
  /** The bot's next message to this chat, waited for until `deadlineMs`; each is read once, in order. */
  reply(deadlineMs?: number): Promise<Reply>;
  /**
   * All the last step said, as one reply, once its chat is let go (within `deadlineMs`): on the Bot
   * API an answer with inline buttons under the menu keyboard comes as two messages
   * (channels/bot-api/render.ts), read here together as Gap's one.
   */
  answer(deadlineMs?: number): Promise<Reply>;
  /**
   * Binds `identity` from the chat's first message through `title` (a personal service's title, or
   * anything that opens one), as the messenger lets a citizen: Gap's one-time code sent to the
   * number's own chat, the Bot API's own contact card. The next `reply()` is what the service says
   * once bound.
   */
  bind(title: string, identity: Identity): Promise<void>;
}

const REPLY_DEADLINE_MS = 10_000;

/** A chat of its own on `messenger`, with a fresh chat id (the database and the sandboxes are shared by every test). */
export async function talk(messenger: Messenger): Promise<Chat> {
  return messenger === 'gap' ? chatOn(messenger, gapSide()) : chatOn(messenger, botApiSide(messenger));
}

function chatOn<M>(messenger: Messenger, side: Side<M>): Chat {
  let read = 0;
  const chat: Chat = {
    messenger,
    chatId: side.chatId,
    say: (text) => side.say(text),
    shareContact: (mobile) => side.shareContact(mobile),
    async press(label) {
      const sent = await side.messages(0);
      for (const message of sent.reverse()) {
        const button = side.read(message).buttons.find((b) => b.label === label);
        if (!button) continue;
        if (button.value === null) throw new Error(`«${label}» shares the phone number: use shareContact(mobile)`);
        return button.kind === 'inline' ? side.callback(button.value, message) : side.say(button.value);
      }
      throw new Error(`no message in ${messenger} chat ${side.chatId} offers «${label}»`);
    },
    async reply(deadlineMs = REPLY_DEADLINE_MS) {
      const message = (await side.messages(read + 1, deadlineMs))[read] as M;
      read += 1;
      return side.read(message);
    },
    async answer(deadlineMs = REPLY_DEADLINE_MS) {
      await waitForRelease(messenger, side.chatId, deadlineMs);
      const messages = (await side.messages(read + 1, deadlineMs)).slice(read);
      read += messages.length;
      const replies = messages.map((message) => side.read(message));
      return reply(
        replies.map((part) => part.text).join('\n\n'),
        replies.flatMap((part) => part.buttons),
      );
    },
    async bind(title, identity) {
      await chat.say('سلام');
      await chat.reply();
      await chat.say(title);
      expect((await chat.reply()).text).toBe(`${faIdentity.notice}\n\n${faIdentity.askContact}`);
      await chat.shareContact(identity.mobile);
      // Gap cannot tell a forwarded card from the citizen's own: it proves the number with a code.
      if (messenger === 'gap') {
        expect((await chat.reply()).text).toBe(faIdentity.askCode);
        await chat.say(await codeSentTo(identity.mobile));
      }
      expect((await chat.reply()).text).toBe(`${faIdentity.phoneConfirmed}\n\n${faIdentity.askNationalCode}`);
      await chat.say(identity.nationalCode);
      expect((await chat.reply()).text).toBe(faIdentity.bound);
    },
  };
  return chat;
}

/** What differs between the messengers: their updates and their sandboxes' records. */
interface Side<M> {
  chatId: string;
  say(text: string): Promise<void>;
  callback(data: string, message: M): Promise<void>;
  shareContact(mobile: string): Promise<void>;
  /** At least `count` of the bot's messages to the chat. */
  messages(count: number, deadlineMs?: number): Promise<M[]>;
  read(message: M): Reply;
}

function gapSide(): Side<gap.SentMessage> {
  const chatId = gap.newChatId();
  const from = JSON.stringify({ id: Number(chatId), name: 'Test', user: 'test' });
  return {
    chatId,
    say: async (text) => accepted(await gap.sendText(chatId, text)),
    callback: async (data, message) => {
      const pressed = JSON.stringify({ data, message_id: message.id, callback_id: crypto.randomUUID() });
      accepted(await gap.postUpdate({ chat_id: chatId, type: 'triggerButton', data: pressed, from }));
    },
    shareContact: async (mobile) => accepted(await shareGapContact(chatId, mobile)),
    messages: (count, deadlineMs) => gap.waitForMessages(chatId, count, deadlineMs),
    read: (message) =>
      reply(message.data, [
        ...(message.reply_keyboard?.keyboard ?? []).flat().flatMap((key) =>
          // A key is `{value: label}`; `$contact` asks Gap for the phone number instead.
          Object.entries(key).map(([value, label]) => ({
            label,
            kind: 'reply' as const,
            value: value === '$contact' ? null : value,
          })),
        ),
        ...(message.inline_keyboard ?? [])
          .flat()
          .map((button) => ({ label: button.text, kind: 'inline' as const, value: button.cb_data })),
      ]),
  };
}

function botApiSide(messenger: botApi.Messenger): Side<botApi.SentMessage> {
  const chatId = botApi.newChatId();
  const post = async (update: unknown) => accepted(await botApi.postUpdate(messenger, update));
  return {
    chatId,
    say: (text) => post(botApi.fixtures.text(chatId, text)),
    callback: (data) => post(botApi.fixtures.callback(chatId, data, `cbq-${crypto.randomUUID()}`)),
    shareContact: (mobile) => post(botApi.fixtures.contact(chatId, international(mobile))),
    messages: (count, deadlineMs) => botApi.waitForMessages(messenger, chatId, count, deadlineMs),
    read: (message) =>
      reply(message.text, [
        ...(message.reply_markup?.keyboard ?? []).flat().map((key) => ({
          label: key.text,
          kind: 'reply' as const,
          value: key.request_contact ? null : key.text,
        })),
        ...(message.reply_markup?.inline_keyboard ?? [])
          .flat()
          .map((button) => ({ label: button.text, kind: 'inline' as const, value: button.callback_data })),
      ]),
  };
}

function reply(text: string, buttons: Button[]): Reply {
  const labels = (kind: Button['kind']) => buttons.filter((b) => b.kind === kind).map((b) => b.label);
  return { text, buttons, keyboard: labels('reply'), inline: labels('inline') };
}

function accepted(response: Response): void {
  if (response.status !== 200) throw new Error(`the webhook answered ${response.status}, not 200`);
}
