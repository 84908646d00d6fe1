/**
 * A circuit breaker per service (docs/bus.md#retries-and-the-circuit-breaker), in the isolate's
 * memory: a dead agency should cost the citizen an honest message at once, not 20 s of retries on
 * every call. Lost with the isolate, which is fine: a new isolate learns again within five calls.
 */
import { log } from '../log.ts';

export interface BreakerOptions {
  /** Failed calls in a row (each after its own retries) that open the breaker. */
  threshold?: number;
  /** How long an open breaker fails fast before it lets one probe through. */
  pauseMs?: number;
  now?: () => number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

type Circuit =
  | { state: 'closed'; failures: number }
  | { state: 'open'; since: number }
  /** One probe is on its way; every other call still fails fast. */
  | { state: 'probing' };

/** Counts failed calls per service, opens after `threshold` in a row, probes once after `pauseMs`. */
export class CircuitBreaker {
  private readonly circuits = new Map<string, Circuit>();
  private readonly threshold: number;
  private readonly pauseMs: number;
  private readonly now: () => number;

  constructor({ threshold = 5, pauseMs = 30_000, now = Date.now }: BreakerOptions = {}) {
    this.threshold = threshold;
    this.pauseMs = pauseMs;
    this.now = now;
  }

  /**
   * Whether a call to `service` may go out now. When it returns true for an open breaker whose
   * pause is over, that call is the probe: report its end with succeeded or failed.
   */
  allow(service: string): boolean {
    const circuit = this.circuits.get(service);
    if (!circuit || circuit.state === 'closed') return true;
    if (circuit.state === 'probing' || this.now() - circuit.since < this.pauseMs) return false;
    this.circuits.set(service, { state: 'probing' });
    return true;
  }

  /**
   * Each service's circuit as an operator reads it: `half-open` once a probe may go, or is on its way.
   * Only services that have been called are known.
   */
  states(): Map<string, CircuitState> {
    const now = this.now();
    const states = new Map<string, CircuitState>();
    for (const [service, circuit] of this.circuits) {
      const paused = circuit.state === 'open' && now - circuit.since < this.pauseMs;
      states.set(service, circuit.state === 'closed' ? 'closed' : paused ? 'open' : 'half-open');
    }
    return states;
  }

  succeeded(service: string): void {
    const circuit = this.circuits.get(service);
    if (circuit && circuit.state !== 'closed') log('breaker', { service, state: 'closed' });
    this.circuits.set(service, { state: 'closed', failures: 0 });
  }

  failed(service: string): void {
    const circuit = this.circuits.get(service) ?? { state: 'closed', failures: 0 };
    const failures = circuit.state === 'closed' ? circuit.failures + 1 : this.threshold;
    if (failures < this.threshold) {
      this.circuits.set(service, { state: 'closed', failures });
      return;
    }
    if (circuit.state !== 'open') log('breaker', { service, state: 'open', pauseMs: this.pauseMs });
    this.circuits.set(service, { state: 'open', since: this.now() });
  }
}
