/** /metrics on the Node entry (src/node.ts); and who may read it without METRICS_TOKEN. */
import { describe, expect, it } from 'vitest';
import { startLocalStack } from '../../dev/local-stack.ts';
import { NODE_ENTRY, startEntry, stopEntry } from '../support/entry-process.ts';
import { describeMetrics } from './metrics-suite.ts';

describeMetrics('the Node entry', NODE_ENTRY);

describe('/metrics on a Node entry without METRICS_TOKEN', () => {
  it('is served to anyone who reaches it on loopback, and a token too short stops the entry at start', async () => {
    const stack = await startLocalStack({ parts: ['libsql', 'gsb', 'gap'] });
    try {
      const open = await startEntry(NODE_ENTRY, { ...stack.vars, HOST: '127.0.0.1', PORT: '0' });
      try {
        const response = await fetch(`${open.url}/metrics`);
        expect(response.status).toBe(200);
        expect(await response.text()).toContain('# TYPE pishkhan_updates_total counter\n');
      } finally {
        await stopEntry(open);
      }
      const short = { ...stack.vars, HOST: '127.0.0.1', PORT: '0', METRICS_TOKEN: 'too-short' };
      await expect(startEntry(NODE_ENTRY, short)).rejects.toThrow(/exited \(code 1\)[\s\S]*METRICS_TOKEN/);
    } finally {
      await stack.stop();
    }
  });
});
