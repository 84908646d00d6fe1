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
  /**
   * Share of operation calls that a gateway in front of the bus answers itself with an unsigned 503,
   * before the bus sees them.
   */
  gatewayErrorRate: number;
  /**
   * The gateway's next answers, in order, each for the next call whose body holds `match` (any call
   * without one): an unsigned `status`, with `Retry-After: retryAfter` seconds when given.
   */
  gatewayErrors: GatewayError[];
}

export interface GatewayError {
  status: number;
  retryAfter?: number;
  match?: string;
}

const Rate = v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1)));
const GatewayErrorBody = v.strictObject({
  status: v.pipe(v.number(), v.integer(), v.minValue(400), v.maxValue(599)),
  retryAfter: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(3600))),
  match: v.optional(v.pipe(v.string(), v.minLength(1))),
});

/** The body of `POST /_sandbox/faults`: what it leaves out is 0. */
export const FaultsBody = v.strictObject({
  latencyMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(600_000))),
  errorRate: Rate,
  timeoutRate: Rate,
  tamperRate: Rate,
  gatewayErrorRate: Rate,
  gatewayErrors: v.optional(v.pipe(v.array(GatewayErrorBody), v.maxLength(100))),
});

export function faultsFrom(settings: Partial<GsbFaults>): GsbFaults {
  return {
    latencyMs: settings.latencyMs ?? 0,
    errorRate: settings.errorRate ?? 0,
    timeoutRate: settings.timeoutRate ?? 0,
    tamperRate: settings.tamperRate ?? 0,
    gatewayErrorRate: settings.gatewayErrorRate ?? 0,
    gatewayErrors: [...(settings.gatewayErrors ?? [])],
  };
}

/**
 * The gateway's answer to a call whose body is `text`, if it answers this one itself: the first
 * queued error that matches (taken off the queue), else an error at `gatewayErrorRate`.
 */
export function gatewayAnswer(faults: GsbFaults, text: string, random: () => number): Response | null {
  const queued = faults.gatewayErrors.findIndex((error) => error.match === undefined || text.includes(error.match));
  const [error] = queued >= 0 ? faults.gatewayErrors.splice(queued, 1) : [];
  const status = error?.status ?? (faults.gatewayErrorRate > 0 && random() < faults.gatewayErrorRate ? 503 : null);
  if (status === null) return null;
  const headers: Record<string, string> = { 'content-type': 'text/plain' };
  if (error?.retryAfter !== undefined) headers['retry-after'] = String(error.retryAfter);
  // What a load balancer says: no signature, no problem document, no request id.
  return new Response('upstream unavailable', { status, headers });
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
