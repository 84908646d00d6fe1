/**
 * Where the verifier remembers nonces, so a captured request cannot be sent twice. A claim is
 * atomic: of two concurrent claims of the same (key id, nonce), exactly one wins. The in-memory
 * store serves tests and a single process; a shared one (libSQL) is for real deployments.
 */

export interface NonceStore {
  /**
   * Claims a nonce of a key until `expiresAt` (epoch ms).
   * @returns false when it is already claimed and that claim has not expired
   */
  claim(keyId: string, nonce: string, expiresAt: number): Promise<boolean>;
}

/** Expired entries are swept every this many claims, which bounds memory without a timer. */
const SWEEP_EVERY = 256;

/** A NonceStore in this isolate's memory: for tests and one process, lost on restart. */
export class MemoryNonceStore implements NonceStore {
  private readonly claims = new Map<string, number>();
  private claimsSinceSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async claim(keyId: string, nonce: string, expiresAt: number): Promise<boolean> {
    const now = this.now();
    if (++this.claimsSinceSweep >= SWEEP_EVERY) this.sweep(now);
    // Key ids and nonces are printable ASCII (RFC 8941 strings), so a newline cannot occur in either.
    const id = `${keyId}\n${nonce}`;
    const held = this.claims.get(id);
    if (held !== undefined && held > now) return false;
    this.claims.set(id, expiresAt);
    return true;
  }

  private sweep(now: number): void {
    this.claimsSinceSweep = 0;
    for (const [id, expiresAt] of this.claims) if (expiresAt <= now) this.claims.delete(id);
  }
}
