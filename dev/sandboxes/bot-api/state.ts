/**
 * What the Bot API sandbox keeps between calls, shared by its bot API (api.ts) and its control
 * routes (control.ts): the recorded conversation and the shapes of its entries, the chats shown
 * typing, the injected send faults, the webhook setWebhook registered, and which chat each
 * delivered button press came from.
 */
import * as v from 'valibot';
import { FaultQueue, FaultReach } from '../kit/faults.ts';
import { Journal, type TypingEntry } from '../kit/journal.ts';

export interface BotApiSandboxOptions {
  port?: number;
  host?: string;
  token: string;
  webhookUrl?: string;
  /** Sent as X-Telegram-Bot-Api-Secret-Token with every delivered update, when set. */
  secretToken?: string;
  /** The longest text sendMessage accepts, default 4096 (Telegram's). */
  textLimit?: number;
  deliveryTimeoutMs?: number; // how long /_sandbox/deliver waits for the bot, default 15000
  /** Told of every message the bot sends, as it is recorded (a benchmark's citizens wait on it). */
  onBotMessage?: (message: BotApiBotMessage) => void;
}

/** Integers arrive as their digits (parseExactJson); form fields are strings anyway. */
export const Id = v.pipe(v.union([v.string(), v.number()]), v.transform(String), v.regex(/^-?\d{1,20}$/));

const KeyboardButton = v.object({
  text: v.pipe(v.string(), v.nonEmpty()),
  request_contact: v.optional(v.boolean()),
  request_location: v.optional(v.boolean()),
});
const InlineButton = v.object({
  text: v.pipe(v.string(), v.nonEmpty()),
  callback_data: v.optional(v.pipe(v.string(), v.nonEmpty())),
  url: v.optional(v.string()),
});
export const ReplyMarkupSchema = v.union([
  v.object({
    keyboard: v.array(v.array(KeyboardButton)),
    resize_keyboard: v.optional(v.boolean()),
    one_time_keyboard: v.optional(v.boolean()),
    is_persistent: v.optional(v.boolean()),
    selective: v.optional(v.boolean()),
  }),
  v.object({ inline_keyboard: v.array(v.array(InlineButton)) }),
  v.object({ remove_keyboard: v.literal(true), selective: v.optional(v.boolean()) }),
]);
export type ReplyMarkup = v.InferOutput<typeof ReplyMarkupSchema>;

/** What the bot sent with sendMessage. */
export interface BotApiBotMessage {
  side: 'bot';
  id: number;
  chat_id: string;
  text: string;
  reply_markup?: ReplyMarkup;
  time: string;
}
/** An update the sandbox delivered to the bot on the citizen's behalf. */
export interface BotApiCitizenUpdate {
  side: 'citizen';
  id: number;
  chat_id: string;
  update_id: number;
  update: unknown;
  time: string;
}
/** The bot's answerCallbackQuery; the chat is known when the sandbox delivered the press itself. */
export interface BotApiCallbackAnswer {
  side: 'callback';
  id: number;
  chat_id: string | null;
  callback_query_id: string;
  text: string;
  show_alert: boolean;
  time: string;
}
export type BotApiEntry = BotApiBotMessage | BotApiCitizenUpdate | BotApiCallbackAnswer;

/** A number in a control body; JSON integers arrive as their digits, like ids. */
const Int = v.pipe(
  v.union([v.number(), v.pipe(v.string(), v.regex(/^-?\d{1,15}$/))]),
  v.transform(Number),
  v.integer(),
);
// `chat_id` limits a fault to one chat, so tests that share the sandbox do not trip each other.
const FaultChat = v.optional(Id);
export const FaultBody = v.union([
  v.strictObject({
    status: v.pipe(Int, v.minValue(400), v.maxValue(599)),
    ...FaultReach,
    retryAfter: v.optional(v.pipe(Int, v.minValue(0))),
    chat_id: FaultChat,
  }),
  v.strictObject({ timeoutMs: v.pipe(Int, v.minValue(0), v.maxValue(600_000)), ...FaultReach, chat_id: FaultChat }),
]);
type Fault = v.InferOutput<typeof FaultBody>;

/** What setWebhook registered. */
export interface Webhook {
  url: string;
  secretToken?: string;
  allowedUpdates?: string[];
}

export class BotApiState {
  readonly journal = new Journal<BotApiEntry>();
  /** Chats shown "typing…", kept apart from the conversation. */
  readonly typing = new Journal<TypingEntry>();
  readonly faults = new FaultQueue<Fault>((fault) => fault.chat_id);
  /** Which chat each delivered button press came from, so its answer can be shown there. */
  readonly pressedIn = new Map<string, string>();
  nextUpdateId = 1;
  /** Until setWebhook is called, the options' webhook URL and secret token hold. */
  webhook: Webhook | null = null;

  constructor(readonly options: BotApiSandboxOptions) {}

  get webhookUrl(): string | undefined {
    return this.webhook ? this.webhook.url || undefined : this.options.webhookUrl;
  }

  get secretToken(): string | undefined {
    return this.webhook ? this.webhook.secretToken : this.options.secretToken;
  }
}
