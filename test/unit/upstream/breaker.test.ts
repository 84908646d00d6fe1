import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../src/upstream/breaker.ts';

function breaker() {
  let now = 0;
  return {
    breaker: new CircuitBreaker({ threshold: 5, pauseMs: 30_000, now: () => now }),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const fail = (b: CircuitBreaker, service: string, times: number) => {
  for (let i = 0; i < times; i++) b.failed(service);
};

describe('the circuit breaker', () => {
  it('opens after five failures in a row, not after five with a success between', () => {
    const { breaker: b } = breaker();
    fail(b, 'postcode', 4);
    b.succeeded('postcode');
    fail(b, 'postcode', 4);
    expect(b.allow('postcode')).toBe(true);
    b.failed('postcode');
    expect(b.allow('postcode')).toBe(false);
    expect(b.allow('bill')).toBe(true);
  });

  it('lets exactly one probe through after the pause; a failed probe opens it again for another pause', () => {
    const { breaker: b, advance } = breaker();
    fail(b, 'postcode', 5);
    advance(29_999);
    expect(b.allow('postcode')).toBe(false);
    advance(1);
    expect(b.allow('postcode')).toBe(true);
    expect(b.allow('postcode')).toBe(false); // the probe is still out
    b.failed('postcode');
    advance(29_999);
    expect(b.allow('postcode')).toBe(false);
    advance(1);
    expect(b.allow('postcode')).toBe(true);
  });

  it('closes when the probe succeeds', () => {
    const { breaker: b, advance } = breaker();
    fail(b, 'postcode', 5);
    advance(30_000);
    expect(b.allow('postcode')).toBe(true);
    b.succeeded('postcode');
    expect(b.allow('postcode')).toBe(true);
    expect(b.allow('postcode')).toBe(true);
    fail(b, 'postcode', 4);
    expect(b.allow('postcode')).toBe(true);
  });

  it("tells each called service's state: closed, open during the pause, half-open once a probe may go or is out", () => {
    const { breaker: b, advance } = breaker();
    fail(b, 'postcode', 5);
    fail(b, 'bill', 2);
    expect(Object.fromEntries(b.states())).toEqual({ postcode: 'open', bill: 'closed' });
    advance(30_000);
    expect(b.states().get('postcode')).toBe('half-open');
    expect(b.allow('postcode')).toBe(true);
    expect(b.states().get('postcode')).toBe('half-open');
    b.succeeded('postcode');
    expect(b.states().get('postcode')).toBe('closed');
  });
});
