/**
 * One writer's audit chain (docs/upstream.md, "The audit log"): a writer (an isolate or a process)
 * draws a random id, keeps its chain's head in memory and links each row to it with a MAC keyed by
 * AUDIT_KEY (never stored in the database, so whoever can write the table cannot forge a link), so
 * appending reads nothing; the linked rows wait here until a batch carries them (store/audit.ts).
 */
import type { KeyedHash } from '../crypto/keyed-hash.ts';
import { log } from '../log.ts';
import type { auditLog } from './schema.ts';

export type AuditRow = typeof auditLog.$inferSelect;
export type AuditEntry = Omit<AuditRow, 'writer' | 'seq' | 'prevHash' | 'rowHash'>;

export const GENESIS = 'genesis';
/** Rows kept in memory while the database is unreachable; beyond this the oldest go (a gap the check reports). */
const MAX_WAITING = 10_000;

/** One writer's chain: its head in memory, and the rows linked but not yet written. */
export class AuditChain {
  readonly writer = crypto.randomUUID();

  /** @param mac HMAC-SHA-256 keyed with AUDIT_KEY */
  constructor(private readonly mac: KeyedHash) {}

  #head = { seq: 0, hash: GENESIS };
  #linking: Promise<unknown> = Promise.resolve();
  #waiting: AuditRow[] = [];

  /** Links `entry` after the head; it is written with the writer's next batch. */
  append(entry: AuditEntry): Promise<void> {
    const linked = this.#linking.then(async () => {
      const head = { writer: this.writer, seq: this.#head.seq + 1, prevHash: this.#head.hash };
      const row = { ...entry, ...head, rowHash: await hashRow(this.mac, { ...entry, ...head }) };
      this.#head = { seq: row.seq, hash: row.rowHash };
      this.#waiting.push(row);
      this.#keep(this.#waiting);
    });
    this.#linking = linked.catch(() => {});
    return linked;
  }

  /** The rows waiting, handed to a batch; `restore` them when it fails. */
  async take(): Promise<AuditRow[]> {
    await this.#linking;
    const rows = this.#waiting;
    this.#waiting = [];
    return rows;
  }

  restore(rows: readonly AuditRow[]): void {
    this.#keep([...rows, ...this.#waiting]);
  }

  #keep(rows: AuditRow[]): void {
    const dropped = rows.length - MAX_WAITING;
    if (dropped > 0) log('audit-dropped', { writer: this.writer, rows: dropped });
    this.#waiting = dropped > 0 ? rows.slice(dropped) : rows;
  }
}

/** The MAC over the row's fields in a fixed order, so it does not depend on key order. */
export function hashRow(mac: KeyedHash, row: Omit<AuditRow, 'rowHash'>): Promise<string> {
  const fields = [
    row.writer,
    row.seq,
    row.at,
    row.service,
    row.requestId,
    row.idempotencyKey,
    row.keyId,
    row.created,
    row.nonce,
    row.requestDigest,
    row.responseDigest,
    row.status,
    row.latencyMs,
    row.subjectHash,
    row.subjectTail,
    row.prevHash,
  ];
  return mac(JSON.stringify(fields));
}
