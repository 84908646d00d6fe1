/**
 * `npm run bench`: starts the local stack on free ports, sends Gap text webhooks one at a time
 * and prints how fast the webhook answers (the answer only: processing runs after it), then
 * stops everything.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalStack } from '../dev/local-stack.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 500);
const WARMUP = 20;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pishkhan-bench-'));
  const stack = await startLocalStack({ dataDir });
  try {
    const timings: number[] = [];
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      const body = new URLSearchParams({ chat_id: String(500_000 + (i % 50)), type: 'text', data: 'سلام' });
      const started = performance.now();
      const response = await fetch(stack.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      await response.arrayBuffer();
      const ms = performance.now() - started;
      if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
      if (i >= WARMUP) timings.push(ms);
    }
    timings.sort((a, b) => a - b);
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    console.log(`webhook answer time over ${REQUESTS} sequential Gap text updates (50 chats), wrangler dev + local libSQL:`);
    console.log(`  median ${fmt(percentile(timings, 50))}   p99 ${fmt(percentile(timings, 99))}   max ${fmt(timings.at(-1) ?? Number.NaN)}`);
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
