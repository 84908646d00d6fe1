/** What every messenger adapter provides. One folder per messenger; the registry lists them. */
import type { EnvVars, InboundEvent, Reply } from '../types.ts';

/** A webhook body, read and capped by the app before the adapter sees it; or one message of a stream. */
export interface WebhookBody {
  contentType: string;
  text: string;
  /** A stream message's SSE `id`, when the stream gave it one. */
  eventId?: string;
}

/** What makes an update the same as another: the inbox keeps a keyed hash of `basis`. */
export interface Dedupe {
  basis: string;
  /** How long a copy counts as a redelivery, from the first; null when the basis is a unique id. */
  windowMs: number | null;
}

/** A webhook body, validated and normalised; the dedupe key is derived from `dedupe` by the inbox. */
export interface ParsedUpdate {
  event: Omit<InboundEvent, 'dedupeKey'>;
  dedupe: Dedupe;
}

export type SendResult =
  | { ok: true; remoteId: string | null }
  /** `cause`: the network error when no answer came (its name is logged, to tell a timeout from a refusal). */
  | { ok: false; status: number | null; retryable: boolean; retryAfterMs: number | null; cause?: unknown };

/** A messenger, configured and ready. */
export interface Channel {
  readonly id: string;
  /**
   * The secret path segments its webhook accepts (the current one, and the previous one while it
   * is rotated); none for a messenger that calls no webhook (its updates come from `stream`), whose
   * webhook path answers 404.
   */
  readonly webhookSecrets: readonly string[];
  /**
   * Validates and normalises one update (a webhook body, or a stream message); null for one that
   * concerns no conversation (a read receipt), which is dropped. Throws ChannelError when it is malformed.
   */
  parse(body: WebhookBody, receivedAt: number): ParsedUpdate | null;
  /** Renders a reply for this messenger and sends it. */
  send(chatId: string, reply: Reply): Promise<SendResult>;
  /**
   * Whether `send` also reaches a phone number's own chat (`+98…`, Gap), so that a one-time code
   * can prove a shared contact card is the sender's own when the messenger cannot tell.
   */
  readonly codeToPhone?: boolean;
  /**
   * Whether it can show a button that shares the citizen's own number (Bot API's request_contact,
   * Gap's `$contact`). Without one, and without codes to phones, nobody can bind here: the engine
   * says so rather than ask for what cannot come.
   */
  readonly contactButton?: boolean;
  /**
   * Checks a webhook's headers once its path secret matched (a secret-token header, when one is
   * configured); false is answered like a wrong secret. Absent when there is nothing to check.
   */
  verify?(headers: Headers): boolean;
  /**
   * Tells the messenger that an inline button press was received, so the citizen's button stops
   * spinning. Best effort: rejects when the messenger refused, and the caller carries on.
   */
  acknowledge?(event: InboundEvent): Promise<void>;
  /** Shows "typing…" in the chat while the citizen waits for the bus. Best effort, as `acknowledge`. */
  showTyping?(chatId: string): Promise<void>;
  /** Present for a messenger that serves its updates as a stream to read, rather than webhooks. */
  readonly stream?: UpdateStream;
}

/** A messenger's stream of updates (Soroush legacy's Server-Sent Events). */
export interface UpdateStream {
  /**
   * Reads the stream until `reading.signal` aborts, reconnecting whenever it drops or falls quiet,
   * and hands each message to `reading.deliver`, in order. Resolves once aborted; never rejects.
   */
  read(reading: StreamReading): Promise<void>;
}

export interface StreamReading {
  signal: AbortSignal;
  /** The position to resume after (sent as `Last-Event-ID`), null to start wherever the messenger does. */
  lastEventId: string | null;
  /** When the last message came (ms since the epoch), so that a long silence is reported across reconnects. */
  lastMessageAt: number;
  /**
   * Takes one message. The stream moves past it only once this resolves: a rejection drops the
   * connection, and the next one resumes before the message (when the messenger numbers them).
   */
  deliver(message: WebhookBody): Promise<void>;
  /** Told the new position once every message before it has been delivered. */
  progressed(lastEventId: string): void;
}

/** Builds a messenger from the environment, or returns null when it is off (its token is not set). */
export type ChannelFactory = (env: EnvVars, fetcher: typeof fetch) => Channel | null;
