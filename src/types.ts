/**
 * The contracts between the parts: what a channel hands the engine (InboundEvent), what the
 * engine hands a channel (Reply) and the upstream client (UpstreamCall), what comes back, and the
 * environment every part reads its settings from (EnvVars).
 */

/** The environment as the entries hand it over: variable name → value. */
export type EnvVars = Readonly<Record<string, unknown>>;

/** One update from a messenger, normalised. Identical in shape for every messenger. */
export interface InboundEvent {
  channel: string;
  chatId: string;
  userId: string | null;
  /**
   * Whether the chat is one person's own chat with the bot. Personal services, binding and «حساب من»
   * live only there: in a group, every member would share one bound identity.
   */
  privateChat: boolean;
  kind: 'text' | 'button' | 'contact' | 'join' | 'other';
  /** The typed text, or the value of a reply-keyboard button (which arrives as text). */
  text: string | null;
  /** An inline button press: its callback id (to acknowledge it) and the button's value. */
  button: { callbackId: string; value: string } | null;
  /**
   * A shared contact card: its phone (`09xxxxxxxxx` when it is an Iranian mobile, else its digits)
   * and whether it is the sender's own number, as far as the messenger lets us tell.
   */
  contact: { phone: string; ownership: 'own' | 'other' | 'unknown' } | null;
  /** Unique per update: the inbox refuses a second event with the same key. */
  dedupeKey: string;
  /** Milliseconds since the epoch, when the webhook arrived. */
  receivedAt: number;
}

/** A button: what it shows, and what comes back when it is pressed. */
export interface Button {
  label: string;
  value: string;
  /**
   * A reply-keyboard button that shares the citizen's own phone number (a `contact` event) instead
   * of sending its value: Gap's `$contact` key, the Bot API's `request_contact`.
   */
  requestContact?: true;
}

/** One message to the citizen; each adapter renders the buttons as well as its messenger allows. */
export interface Reply {
  text: string;
  /** A keyboard under the input (the menu, the words a form accepts): pressing sends the value as text. */
  keyboard?: Button[][];
  /** Buttons attached to the message (choices inside a form). */
  inline?: Button[][];
  /**
   * Another chat of the same messenger to send this one message to, instead of the conversation's
   * own: the one-time code goes to a phone number's chat on Gap (`+98…`).
   */
  to?: string;
}

/**
 * A citizen's bound identity (docs/bus.md#identity-binding-and-shahkar): Shahkar said this mobile
 * belongs to this national code.
 */
export interface Identity {
  /** Ten ASCII digits. */
  nationalCode: string;
  /** `09xxxxxxxxx` */
  mobile: string;
}

/**
 * A call the engine wants made upstream: a service's operation with its body fields. The service's
 * declaration says who answers it (the bus, or an organisation's own API).
 */
export interface UpstreamCall {
  service: string;
  /** On the bus `{provider}/{gateway}/{operation}`; on an organisation's API, the path under its base URL. */
  operation: string;
  pid: string;
  body: Record<string, string>;
  /**
   * The identifier the call is about (a postcode, a bill id): personal data, so it only reaches the
   * audit log as a keyed hash and a masked tail, never in clear.
   */
  subject?: string;
  /**
   * Whether the subject may be asked about only a few times a day, whichever chats ask
   * (store/limits.ts): a call that tells whose number is whose must not be a way to probe it.
   */
  limited?: boolean;
}

/** How an upstream call ended, as the conversation needs to know it. */
export type UpstreamOutcome =
  | { kind: 'ok'; result: unknown }
  /** 404: no record, a normal answer. */
  | { kind: 'not-found' }
  /** 400: the bus refused the fields. */
  | { kind: 'rejected' }
  /** Retries exhausted, breaker open, or a failure that retrying cannot mend. */
  | { kind: 'unavailable' }
  /** Never sent: a rate limit of our own refused it (identity binding attempts). */
  | { kind: 'limited' };
