import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            main: './src/index.ts',
            wrangler: { configPath: './wrangler.toml' },
            // Dedupe by content off, so tests may send the same text twice; its own test turns it on.
            miniflare: { bindings: { ...inject('workerVars'), GAP_DEDUPE_WINDOW_S: '0' } },
          })),
        ],
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts'],
          environment: 'node',
          // Each file runs its own stack and Node entries; at full size a scenario takes minutes.
          testTimeout: process.env.FAULTS === 'full' ? 30 * 60_000 : 4 * 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'runtimes',
          include: ['test/runtimes/**/*.test.ts', 'test/deno/**/*.test.ts'],
          environment: 'node',
          // Each file boots an entry as a child process against its own libSQL server and sandboxes.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          // A Node entry, its stack and chromium per file; the console polls the sandbox once a second.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
