/**
 * What the GSB sandbox keeps between calls, shared by the bus API (api.ts) and its control routes
 * (control.ts): its options and clock, the tokens it issued, its keys, the nonces and idempotency
 * records (in libSQL when `libsqlUrl` is given, so two sandboxes on one database refuse each
 * other's replays; else in memory), the injected faults and the log of calls.
 */
import { MemoryNonceStore, type NonceStore } from '../../../src/upstream/signing/nonce-store.ts';
import { loadSandboxKeys, type SandboxKeySettings, type SandboxKeys } from './channel.ts';
import { CredentialCheck, type Credentials } from './credentials.ts';
import { faultsFrom, type GsbFaults } from './faults.ts';
import { MemoryIdempotencyStore } from './idempotency.ts';
import type { OpContext } from './operations.ts';
import { type IdempotencyStore, LibsqlIdempotencyStore, LibsqlNonceStore, SandboxDatabase } from './stores.ts';

/** The PGSB credentials it accepts, its keys, and the faults it starts with. */
export interface GsbSandboxOptions extends Credentials, SandboxKeySettings, Partial<GsbFaults> {
  port?: number; // 0 = a free port (default)
  host?: string; // default 127.0.0.1
  /** Where nonces and idempotency records live (tables of the sandbox's own); memory when absent. */
  libsqlUrl?: string;
  libsqlAuthToken?: string;
  slowMs?: number; // delay of the "slow" magic inputs, default 3000
  /** The longest a timeoutRate fault hangs when the client does not give up first; default 60 s. */
  hangMs?: number;
  /** Epoch ms: the verifier's window, the answers' `created`, token expiry. */
  now?: () => number;
  /** Draws the faults: a test may make them deterministic. */
  random?: () => number;
  /**
   * Lets a request that carries no signature through without the link's and the PGSB checks
   * (the benchmark's peer, which does not sign); a signed request is checked as always. Never on
   * in the local stack or the tests.
   */
  admitUnsigned?: boolean;
}

/** One received operation call, without body values (they may be personal data). */
export interface GsbCall {
  time: string;
  path: string;
  pid: string | null;
  requestId: string | null;
  idempotencyKey: string | null;
  status: number;
  /** The problem `type` of a problem answer (`gateway` for a gateway's own unsigned error), null for a success. */
  problem: string | null;
  replayed: boolean;
  /** Whether the operation itself ran (the work a replay must not do twice). */
  performed: boolean;
  tampered: boolean;
}

const MAX_CALLS = 10_000; // keeps a long load run from growing the log without bound

export class GsbState {
  readonly now: () => number;
  readonly random: () => number;
  readonly hangMs: number;
  readonly ctx: OpContext;
  readonly credentials: CredentialCheck;
  readonly nonces: NonceStore;
  readonly idempotency: IdempotencyStore;
  /** The keys, once imported: a failure reaches whoever awaits them (startGsbSandbox, or each request). */
  readonly ready: Promise<SandboxKeys>;
  faults: GsbFaults;
  calls: GsbCall[] = [];

  constructor(readonly options: GsbSandboxOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.hangMs = options.hangMs ?? 60_000;
    this.ctx = { slowMs: options.slowMs ?? 3000, recordedFines: new Map() };
    this.credentials = new CredentialCheck(options, this.now);
    const db = options.libsqlUrl ? new SandboxDatabase(options.libsqlUrl, options.libsqlAuthToken) : null;
    this.nonces = db ? new LibsqlNonceStore(db, this.now) : new MemoryNonceStore(this.now);
    this.idempotency = db ? new LibsqlIdempotencyStore(db, this.now) : new MemoryIdempotencyStore(this.now);
    this.ready = loadSandboxKeys(options);
    this.ready.catch(() => {});
    this.faults = faultsFrom(options);
  }

  recordCall(call: Omit<GsbCall, 'time'>): void {
    this.calls.push({ time: new Date(this.now()).toISOString(), ...call });
    if (this.calls.length > MAX_CALLS) this.calls = this.calls.slice(-MAX_CALLS);
  }
}
