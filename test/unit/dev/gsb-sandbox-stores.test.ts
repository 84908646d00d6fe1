import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LibsqlServer, startLibsqlServer } from '../../../dev/libsql-server/index.ts';
import { MemoryIdempotencyStore } from '../../../dev/sandboxes/gsb/idempotency.ts';
import {
  IN_FLIGHT_TTL_MS,
  LibsqlIdempotencyStore,
  LibsqlNonceStore,
  SandboxDatabase,
} from '../../../dev/sandboxes/gsb/stores.ts';

let server: LibsqlServer;
let db: SandboxDatabase;
let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pishkhan-sandbox-'));
  server = await startLibsqlServer({ file: join(dir, 'sandbox.db') });
  db = new SandboxDatabase(server.url);
});
afterAll(async () => {
  db.client.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the GSB sandbox's stores in libSQL, on tables of its own", () => {
  it('lets one of two concurrent claims of a nonce win, and the nonce again once it expired', async () => {
    let now = 1_000;
    const nonces = new LibsqlNonceStore(db, () => now);
    const results = await Promise.all([nonces.claim('k', 'n1', 2_000), nonces.claim('k', 'n1', 2_000)]);
    expect(results.sort()).toEqual([false, true]);
    expect(await nonces.claim('other-key', 'n1', 2_000)).toBe(true);
    now = 2_001;
    expect(await nonces.claim('k', 'n1', 3_000)).toBe(true);
    expect(await nonces.purge()).toBe(1);
  });

  it('replays a completed answer, refuses another body (422) and a key in flight (409)', async () => {
    const records = new LibsqlIdempotencyStore(db);
    expect(await records.claim('key-1', 'digest-a')).toEqual({ kind: 'new' });
    expect(await records.claim('key-1', 'digest-a')).toEqual({ kind: 'in-flight' });
    expect(await records.claim('key-1', 'digest-b')).toEqual({ kind: 'mismatch' });
    const answer = { status: 200, contentType: 'application/json', body: '{"ok":true}' };
    await records.complete('key-1', answer);
    expect(await records.claim('key-1', 'digest-a')).toEqual({ kind: 'replay', answer });
  });

  it('keeps no 503: the key is free again and the retry does the work', async () => {
    const records = new LibsqlIdempotencyStore(db);
    expect(await records.claim('key-2', 'd')).toEqual({ kind: 'new' });
    await records.complete('key-2', { status: 503, contentType: 'application/problem+json', body: '{}' });
    expect(await records.claim('key-2', 'd')).toEqual({ kind: 'new' });
  });
});

describe('an in-flight key whose first request died', () => {
  it('is free again once it has been in flight longer than any client waits (libSQL)', async () => {
    let now = 1_000_000;
    const records = new LibsqlIdempotencyStore(db, () => now);
    expect(await records.claim('key-3', 'd')).toEqual({ kind: 'new' });
    now += IN_FLIGHT_TTL_MS - 1;
    expect(await records.claim('key-3', 'd')).toEqual({ kind: 'in-flight' });
    now += 2;
    expect(await records.claim('key-3', 'd')).toEqual({ kind: 'new' });
    expect(await records.claim('key-3', 'other')).toEqual({ kind: 'mismatch' });
  });

  it('is free again the same way in memory', async () => {
    let now = 0;
    const records = new MemoryIdempotencyStore(() => now);
    expect(await records.claim('k', 'd')).toEqual({ kind: 'new' });
    expect(await records.claim('k', 'd')).toEqual({ kind: 'in-flight' });
    now = IN_FLIGHT_TTL_MS + 1;
    expect(await records.claim('k', 'd')).toEqual({ kind: 'new' });
  });
});
