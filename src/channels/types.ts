/** What every messenger adapter provides. One folder per messenger; the registry lists them. */
import type { InboundEvent, Reply } from '../types.ts';

/** The environment as the entries hand it over: variable name → value. */
export type EnvVars = Readonly<Record<string, unknown>>;

/** A webhook body, read and capped by the app before the adapter sees it. */
export interface WebhookBody {
  contentType: string;
  text: string;
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
  | { ok: false; status: number | null; retryable: boolean; retryAfterMs: number | null };

/** A messenger, configured and ready. */
export interface Channel {
  readonly id: string;
  /** The secret path segment of this messenger's webhook URL. */
  readonly webhookSecret: string;
  /** Validates and normalises one webhook body; throws ChannelError when it is malformed. */
  parse(body: WebhookBody, receivedAt: number): ParsedUpdate;
  /** Renders a reply for this messenger and sends it. */
  send(chatId: string, reply: Reply): Promise<SendResult>;
  /**
   * Checks a webhook's headers once its path secret matched (a secret-token header, when one is
   * configured); false is answered like a wrong secret. Absent when there is nothing to check.
   */
  verify?(headers: Headers): Promise<boolean>;
  /**
   * Tells the messenger that an inline button press was received, so the citizen's button stops
   * spinning. Best effort: rejects when the messenger refused, and the caller carries on.
   */
  acknowledge?(event: InboundEvent): Promise<void>;
}

/** Builds a messenger from the environment, or returns null when it is off (its token is not set). */
export type ChannelFactory = (env: EnvVars, fetcher: typeof fetch) => Channel | null;
