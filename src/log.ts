/**
 * One JSON line per event, for operators. Callers pass only what is safe to keep: ids of the
 * system's own (channel, kind, outcome, timings), never message text, personal data or secrets.
 */

export type LogFields = Record<string, string | number | boolean | null>;

export function log(event: string, fields: LogFields = {}): void {
  console.log(JSON.stringify({ at: new Date().toISOString(), event, ...fields }));
}

export function logError(event: string, error: unknown, fields: LogFields = {}): void {
  // Only the error's name and our own message: third-party messages may quote the data they choked on.
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error && OUR_ERRORS.has(error.name) ? error.message : null;
  console.error(JSON.stringify({ at: new Date().toISOString(), event, error: name, message, ...fields }));
}

const OUR_ERRORS = new Set(['ConfigError', 'ChannelError', 'UpstreamError', 'StoreError']);
