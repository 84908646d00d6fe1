/** The Workers entry serves no /metrics: an isolate sees none of the others' counts (its cron run logs them). */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { callWorker } from './worker.ts';

describe('/metrics on Workers', () => {
  it('answers 404, with or without a METRICS_TOKEN and its bearer token', async () => {
    const token = 'a-metrics-token-of-thirty-two-chars-0000';
    for (const [vars, headers] of [
      [{ ...env }, {}],
      [{ ...env, METRICS_TOKEN: token }, { authorization: `Bearer ${token}` }],
    ] as const) {
      const response = await callWorker('/metrics', vars, { headers });
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('pishkhan_');
    }
  });
});
