/** The Workers entry serves no /metrics: an isolate sees none of the others' counts (its cron run logs them). */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index.ts';

describe('/metrics on Workers', () => {
  it('answers 404, with or without a METRICS_TOKEN and its bearer token', async () => {
    const token = 'a-metrics-token-of-thirty-two-chars-0000';
    for (const [vars, headers] of [
      [{ ...env }, {}],
      [{ ...env, METRICS_TOKEN: token }, { authorization: `Bearer ${token}` }],
    ] as const) {
      const ctx = createExecutionContext();
      const response = await worker.fetch(new Request('https://pishkhan.test/metrics', { headers }), vars, ctx);
      await waitOnExecutionContext(ctx);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('pishkhan_');
    }
  });
});
