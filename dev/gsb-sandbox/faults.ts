/**
 * The GSB sandbox's injected faults, set as a whole through `POST /_sandbox/faults` so that tests
 * and load runs can make the bus slow, failing, hanging or forging.
 */
import * as v from 'valibot';

export interface GsbFaults {
  /** Added to every operation call. */
  latencyMs: number;
  /** Share (0..1) of operation calls answered 503. */
  errorRate: number;
  /** Share of operation calls that hang until the client gives up (then 504, never stored). */
  timeoutRate: number;
  /** Share of answers tampered with: the body changed after signing, or signed by a key nobody trusts. */
  tamperRate: number;
}

const Rate = v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1)));

/** The body of `POST /_sandbox/faults`: what it leaves out is 0. */
export const FaultsBody = v.strictObject({
  latencyMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(600_000))),
  errorRate: Rate,
  timeoutRate: Rate,
  tamperRate: Rate,
});

export function faultsFrom(settings: Partial<GsbFaults>): GsbFaults {
  return {
    latencyMs: settings.latencyMs ?? 0,
    errorRate: settings.errorRate ?? 0,
    timeoutRate: settings.timeoutRate ?? 0,
    tamperRate: settings.tamperRate ?? 0,
  };
}

/** Waits until the client gives up on the request (its signal aborts), or `ms` at most. */
export function hang(signal: AbortSignal, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    if (signal.aborted) done();
    else signal.addEventListener('abort', done);
  });
}
