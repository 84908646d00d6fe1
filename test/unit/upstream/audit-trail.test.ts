/**
 * The audit rows the client appends (one per attempt, docs/bus.md#audit-log) in a real libSQL
 * database: their chain verifies, they hold no identifier in clear, a failed append does not fail
 * the call, and `npm run audit:verify` names the first broken row.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGsbSandbox } from '../../../dev/sandboxes/gsb/index.ts';
import { createKeyedHash, type KeyedHash } from '../../../src/crypto/keyed-hash.ts';
import { billService } from '../../../src/services/bill.ts';
import { postcodeService } from '../../../src/services/postcode.ts';
import { flushAudit, formatAnchors, headsToAnchor, verifyAuditChain } from '../../../src/store/audit.ts';
import { AuditChain } from '../../../src/store/audit-chain.ts';
import { type Db, openDb } from '../../../src/store/db.ts';
import { auditLog } from '../../../src/store/schema.ts';
import type { UpstreamCall } from '../../../src/types.ts';
import { auditTrail, maskedTail, subjectHash } from '../../../src/upstream/audit-trail.ts';
import { appFetcher, clientFor, sandboxOptions, startDatabase } from './harness.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const run = promisify(execFile);

let database: Awaited<ReturnType<typeof startDatabase>>;
let db: Db;
let hash: KeyedHash;
let audit: AuditChain;
const AUDIT_KEY = 'an-audit-key-for-the-audit-trail-tests';
beforeAll(async () => {
  database = await startDatabase();
  db = openDb(database.url);
  hash = await createKeyedHash('a-pepper-for-the-audit-tests');
  // The file's one writer, as an isolate has one.
  audit = new AuditChain(await createKeyedHash(AUDIT_KEY));
});
afterAll(async () => {
  db.$client.close();
  await database.stop();
});

const POSTCODE = '1193653471';
const BILL_ID = '7748317800142';
const postcodeCall: UpstreamCall = {
  service: 'postcode',
  operation: 'post/gnaf/addressByPostcode',
  pid: 'pishkhan-postcode-v1',
  body: { postcode: POSTCODE },
  subject: POSTCODE,
};
const billCall: UpstreamCall = {
  service: 'bill',
  operation: 'billing/utility/billInquiry',
  pid: 'pishkhan-bill-v1',
  body: { billType: 'landline', billId: BILL_ID },
  subject: BILL_ID,
};

/** Its rows, once written (as the next batch of the pipeline would carry them). */
async function rows() {
  await flushAudit({ db, audit });
  return db.select().from(auditLog).where(eq(auditLog.writer, audit.writer)).orderBy(asc(auditLog.seq));
}

describe('the audit trail of the client', () => {
  it('appends one row per attempt, with what the audit log keeps, as a chain that verifies', async () => {
    const draws = [0.1, 0.9]; // a 503, then the answer
    const app = createGsbSandbox(sandboxOptions({ errorRate: 0.5, random: () => draws.shift() ?? 0.9 }));
    const sent: Request[] = [];
    const client = await clientFor(app, {
      audit: auditTrail(audit, hash),
      fetcher: appFetcher(app, sent),
      sleep: async () => {},
    });
    expect((await client.call(postcodeCall, 'pishkhan-20-0')).kind).toBe('ok');

    const appended = await rows();
    expect(appended.map((row) => row.status)).toEqual([503, 200]);
    const attempts = sent.filter((request) => !request.url.endsWith('/oauth/token'));
    appended.forEach((row, i) => {
      const request = attempts[i] as Request;
      expect(row).toMatchObject({
        service: 'postcode',
        requestId: request.headers.get('x-request-id'),
        idempotencyKey: 'pishkhan-20-0',
        keyId: 'pishkhan-local-1',
        requestDigest: request.headers.get('content-digest'),
        responseDigest: expect.stringMatching(/^sha-256=:/),
        subjectTail: '******3471',
      });
      expect(request.headers.get('signature-input')).toContain(`created=${row.created};`);
      expect(request.headers.get('signature-input')).toContain(`nonce="${row.nonce}"`);
      expect(row.latencyMs).toBeGreaterThanOrEqual(0);
    });
    expect(appended[0]?.nonce).not.toBe(appended[1]?.nonce);
    expect(appended[0]?.subjectHash).toBe(await subjectHash(hash, POSTCODE));
    expect(await verifyAuditChain({ db }, await createKeyedHash(AUDIT_KEY))).toEqual({
      ok: true,
      rows: 2,
      writers: 1,
      anchors: 0,
    });
  });

  it('holds no postcode or bill id in clear', async () => {
    const app = createGsbSandbox(sandboxOptions());
    const client = await clientFor(app, { audit: auditTrail(audit, hash) });
    await client.call(postcodeCall, 'pishkhan-21-0');
    await client.call(billCall, 'pishkhan-21-1');
    const all = await rows();
    expect(all.at(-1)?.subjectTail).toBe('*********0142');
    const text = JSON.stringify(all);
    expect(text).not.toContain(POSTCODE);
    expect(text).not.toContain(BILL_ID);
    expect(text).not.toContain(POSTCODE.slice(0, 6));
  });

  it('records an attempt that got no answer with a null status', async () => {
    const app = createGsbSandbox(sandboxOptions());
    let refused = false;
    const fetcher: typeof fetch = async (input, init) => {
      if (!refused && !String(input).endsWith('/oauth/token')) {
        refused = true;
        throw new TypeError('connection refused');
      }
      return appFetcher(app)(input, init);
    };
    const client = await clientFor(app, { audit: auditTrail(audit, hash), fetcher, sleep: async () => {} });
    await client.call(postcodeCall, 'pishkhan-22-0');
    const attempts = (await rows()).filter((row) => row.idempotencyKey === 'pishkhan-22-0');
    expect(attempts.map((row) => [row.status, row.responseDigest])).toEqual([
      [null, null],
      [200, expect.any(String)],
    ]);
  });

  it('does not fail a call whose audit append fails, and logs that without personal data', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const app = createGsbSandbox(sandboxOptions());
      const audit = async () => {
        throw new Error(`database down while writing ${POSTCODE}`);
      };
      const client = await clientFor(app, { audit });
      expect((await client.call(postcodeCall, 'pishkhan-23-0')).kind).toBe('ok');
      const logged = errors.mock.calls.map((args) => String(args[0])).join('\n');
      expect(logged).toContain('audit-append-failed');
      expect(logged).not.toContain(POSTCODE);
    } finally {
      errors.mockRestore();
    }
  });

  it('hears the subject from the services: the postcode, the bill id', () => {
    expect(postcodeService.upstream.subject?.(postcodeService.upstream.body({ postcode: POSTCODE }))).toBe(POSTCODE);
    expect(billService.upstream.subject?.(billService.upstream.body({ billId: BILL_ID }))).toBe(BILL_ID);
  });

  it('masks all but the last four characters, and short identifiers whole', () => {
    expect(maskedTail('0499370899')).toBe('******0899');
    expect(maskedTail('1234567')).toBe('*******');
  });
});

describe('npm run audit:verify', () => {
  const verify = (args: string[] = []) =>
    run(process.execPath, ['--import', 'tsx', 'ops/audit.ts', ...args], {
      cwd: root,
      env: { ...process.env, LIBSQL_URL: database.url, AUDIT_KEY },
    }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );

  it('holds the chains against the anchors of a log it is given, and says how many it found', async () => {
    const count = (await rows()).length;
    const { heads } = await headsToAnchor({ db });
    const dir = mkdtempSync(join(tmpdir(), 'pishkhan-anchors-'));
    const logFile = join(dir, 'worker.log');
    const lines = ['{"event":"listening"}', JSON.stringify({ event: 'audit-anchor', heads: formatAnchors(heads) })];
    writeFileSync(logFile, `${lines.join('\n')}\nnot json\n`);
    try {
      expect(await verify([logFile])).toEqual({
        code: 0,
        stdout: `audit log intact: ${count} row(s) in 1 chain(s) checked, 1 anchored head(s) found\n`,
      });
      await db.run(sql`delete from audit_log where writer = ${audit.writer} and seq = ${count}`);
      const cut = await verify([logFile]);
      expect(cut.code).toBe(1);
      expect(cut.stdout).toContain(`at row ${count} of writer ${audit.writer}: an anchored head is gone`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says how many rows it checked, and names the first broken row with exit code 1', async () => {
    const count = (await rows()).length;
    expect(await verify()).toEqual({
      code: 0,
      stdout: `audit log intact: ${count} row(s) in 1 chain(s) checked (no anchors given)\n`,
    });
    await db.run(sql`update audit_log set status = 502 where writer = ${audit.writer} and seq = 2`);
    const broken = await verify();
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(
      `audit log BROKEN at row 2 of writer ${audit.writer}: its fields no longer match its MAC (edited)`,
    );
    expect(broken.stdout).toContain('1 row(s) before it checked and intact');
  });
});
