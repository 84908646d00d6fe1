/** The interface the pipeline calls the bus through; the PGSB client implements it. */
import type { UpstreamCall, UpstreamOutcome } from '../types.ts';
import type { CircuitState } from './breaker.ts';

export interface UpstreamClient {
  /**
   * Makes one logical call, retrying within its deadline.
   * @param idempotencyKey the same on every retry of this logical call, so the bus does the work once
   * @param options.deadline epoch ms the call must end by, when the caller's time is shorter than the client's own
   */
  call(call: UpstreamCall, idempotencyKey: string, options?: CallOptions): Promise<UpstreamOutcome>;
  /** Each called service's circuit breaker, for an operator's counts (breaker.ts). */
  circuits?(): ReadonlyMap<string, CircuitState>;
}

export interface CallOptions {
  deadline?: number;
}
