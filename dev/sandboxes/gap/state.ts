/**
 * What the Gap sandbox keeps between calls, shared by its bot API (api.ts) and its control routes
 * (control.ts): the recorded conversation and the shapes of its entries, the chats shown typing,
 * the injected send faults, and the webhook the citizen's messages go to.
 */
import * as v from 'valibot';
import { FaultQueue, FaultReach } from '../kit/faults.ts';
import { Journal, type TypingEntry } from '../kit/journal.ts';

export interface GapSandboxOptions {
  port?: number;
  host?: string;
  token: string;
  webhookUrl?: string;
  deliveryTimeoutMs?: number; // how long /_sandbox/deliver waits for the bot, default 15000
}

export const NonEmpty = v.pipe(v.string(), v.trim(), v.nonEmpty());
export const ReplyKeyboardSchema = v.object({
  // Each button is a one-key object {"<value sent back>": "<label>"}.
  keyboard: v.array(
    v.array(
      v.pipe(
        v.record(v.string(), v.string()),
        v.check((b) => Object.keys(b).length === 1),
      ),
    ),
  ),
  once: v.optional(v.boolean()),
  selective: v.optional(v.boolean()),
});
export const InlineKeyboardSchema = v.array(
  v.array(
    v.looseObject({
      text: v.string(),
      cb_data: v.optional(v.string()),
      url: v.optional(v.string()),
      open_in: v.optional(v.string()),
    }),
  ),
);
export type ReplyKeyboard = v.InferOutput<typeof ReplyKeyboardSchema>;
export type InlineKeyboard = v.InferOutput<typeof InlineKeyboardSchema>;

/** What the bot sent with sendMessage. */
export interface GapBotMessage {
  side: 'bot';
  id: number;
  chat_id: string;
  type: string;
  data: string;
  reply_keyboard?: ReplyKeyboard;
  inline_keyboard?: InlineKeyboard;
  time: string;
}
/** What the sandbox delivered to the bot on the citizen's behalf (the raw form fields). */
export interface GapCitizenMessage {
  side: 'citizen';
  id: number;
  chat_id: string;
  type: string;
  data?: string;
  from: string;
  time: string;
}
/** The bot's answerCallback (a toast or alert on the citizen's screen). */
export interface GapCallbackAnswer {
  side: 'callback';
  id: number;
  chat_id: string;
  callback_id: string;
  text: string;
  show_alert: boolean;
  time: string;
}
export type GapEntry = GapBotMessage | GapCitizenMessage | GapCallbackAnswer;

// `chat_id` limits a fault to one chat, so tests that share the sandbox do not trip each other.
const FaultChat = v.optional(NonEmpty);
export const FaultBody = v.union([
  v.strictObject({
    status: v.pipe(v.number(), v.integer(), v.minValue(400), v.maxValue(599)),
    ...FaultReach,
    retryAfter: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
    chat_id: FaultChat,
  }),
  v.strictObject({
    timeoutMs: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(600_000)),
    ...FaultReach,
    chat_id: FaultChat,
  }),
]);
type Fault = v.InferOutput<typeof FaultBody>;

export class GapState {
  readonly journal = new Journal<GapEntry>();
  /** Chats shown "typing…", kept apart from the conversation. */
  readonly typing = new Journal<TypingEntry>();
  readonly faults = new FaultQueue<Fault>((fault) => fault.chat_id);
  /** Where /_sandbox/deliver posts; POST /_sandbox/webhook changes it. */
  webhookUrl: string | null;

  constructor(readonly options: GapSandboxOptions) {
    this.webhookUrl = options.webhookUrl ?? null;
  }
}
