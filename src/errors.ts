/**
 * Pishkhan's named errors. Each carries what an operator needs to act, and never personal data
 * or message text.
 */

/** Required settings are missing or malformed. Names the variables, never their values. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly variables: readonly string[]) {
    super(`configuration incomplete or not allowed: check ${variables.join(', ')}`);
  }
}

/**
 * A webhook body that is not a valid update of its messenger. `reason` names the field, never its
 * value; `cause` (the parser's own error) stays for a debugger and is never logged, since it may
 * quote the body.
 */
export class ChannelError extends Error {
  override readonly name = 'ChannelError';
  constructor(
    readonly channel: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`${channel}: ${reason}`, options);
  }
}

/**
 * An upstream call that failed in a way retrying cannot mend (or that exhausted its retries), with
 * the HTTP status of its last answer (null when none came) and, as `cause`, the network error behind
 * it when there was one.
 */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  constructor(
    readonly service: string,
    readonly status: number | null,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`upstream ${service}: ${reason}${status === null ? '' : ` (HTTP ${status})`}`, options);
  }
}

/** The database did not answer in time, or failed: the update was not stored (a 503 asks for a retry). */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly operation: string,
    options: { cause: unknown },
  ) {
    super(`database unavailable while ${operation}`, options);
  }
}
