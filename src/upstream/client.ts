/** The interface the pipeline calls the bus through; the PGSB client implements it. */
import type { UpstreamCall, UpstreamOutcome } from '../types.ts';

export interface UpstreamClient {
  /**
   * Makes one logical call, retrying within its deadline.
   * @param idempotencyKey the same on every retry of this logical call, so the bus does the work once
   */
  call(call: UpstreamCall, idempotencyKey: string): Promise<UpstreamOutcome>;
}
