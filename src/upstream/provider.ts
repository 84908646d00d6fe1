/**
 * What an organisation behind the signed client supplies: how it is addressed and authorised, how
 * it wraps a call's fields, and how it wraps its answer. The signing, the verification of answers,
 * retries, the breaker and the audit trail are the client's (signed-client.ts) and the same for all.
 * The bus's own is gsb/pgsb.ts.
 */
import type { UpstreamCall } from '../types.ts';

/** One attempt's request before it is signed. */
export interface PreparedRequest {
  url: string;
  /** The provider's own headers (credentials, routing); the client adds content type, ids and signature. */
  headers: [string, string][];
  /** The body's JSON value; the client serialises it once and signs those bytes. */
  body: Record<string, unknown>;
}

export interface Provider {
  /**
   * The request of one attempt.
   * @param timeoutMs what is left of the attempt, for credentials the provider must fetch first
   * @throws UpstreamError when credentials are refused (retrying cannot mend that); any other error
   *   counts as no answer and is retried
   */
  prepare(call: UpstreamCall, idempotencyKey: string, timeoutMs: number): Promise<PreparedRequest>;
  /** The result inside a verified 200's JSON, or why it is not an answer to this call. */
  unwrap(json: unknown, idempotencyKey: string): { result: unknown } | { refused: string };
  /** The provider's credentials were refused (401): fetch fresh ones for the next attempt. */
  refresh(): void;
}
