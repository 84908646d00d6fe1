import { describe, expect, it } from 'vitest';
import { metricsAccess } from '../../../src/metrics/access.ts';
import { isLoopback } from '../../../src/transport.ts';

const TOKEN = 'a-metrics-token-of-thirty-two-chars-0000';

describe('who may read /metrics', () => {
  it('with a token set, requires it as a bearer token, from anyone, on any address', () => {
    for (const host of ['127.0.0.1', '0.0.0.0']) {
      const access = metricsAccess({ host, token: TOKEN });
      expect(access(`Bearer ${TOKEN}`)).toBe('allowed');
      expect(access(`bearer ${TOKEN}`)).toBe('allowed');
      expect(access(undefined)).toBe('unauthorized');
      expect(access('Bearer ')).toBe('unauthorized');
      expect(access(`Bearer ${TOKEN}x`)).toBe('unauthorized');
      expect(access(`Bearer ${TOKEN.slice(0, -1)}`)).toBe('unauthorized');
      expect(access(`Basic ${TOKEN}`)).toBe('unauthorized');
    }
  });

  it('without a token, serves an entry that listens on loopback only, and hides it on any other address', () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '::1', 'localhost']) {
      expect(metricsAccess({ host, token: undefined })(undefined)).toBe('allowed');
    }
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'pishkhan.example', '127.0.0.1.example']) {
      expect(metricsAccess({ host, token: undefined })(`Bearer ${TOKEN}`)).toBe('hidden');
      expect(isLoopback(host)).toBe(false);
    }
  });
});
