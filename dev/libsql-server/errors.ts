/**
 * The two ways a request can fail, kept apart because sqld reports them differently: an HttpError
 * fails the whole pipeline (an HTTP status and a JSON body, and the stream is dropped), while a
 * StatementError is one request's result inside a 200 response and leaves the stream usable.
 */

/** An error as the protocol writes it, in a failed result or a failed batch step. */
export interface ErrorJson {
  message: string;
  code: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export function protocolError(message: string): never {
  throw new HttpError(400, message, 'PROTOCOL_ERROR');
}

/** Per-request failures reported inside a 200 response, with sqld's codes. */
export class StatementError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }

  toJson(): ErrorJson {
    return { message: this.message, code: this.code };
  }
}
