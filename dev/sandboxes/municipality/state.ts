/**
 * What the municipality sandbox keeps between calls: its options and clock, its keys, the nonces and
 * idempotency records (in memory), the tampering faults to come, and the log of calls (no body values:
 * they are personal).
 */
import * as v from 'valibot';
import { MemoryNonceStore } from '../../../src/upstream/signing/nonce-store.ts';
import { loadSandboxKeys, type SandboxKeySettings, type SandboxKeys } from '../gsb/channel.ts';
import { MemoryIdempotencyStore } from '../gsb/idempotency.ts';
import { FaultQueue, FaultReach } from '../kit/faults.ts';

export interface MunicipalitySandboxOptions extends SandboxKeySettings {
  /** The bearer token it accepts: PROVIDER_MUNICIPALITY_TOKEN. */
  token: string;
  port?: number; // 0 = a free port (default)
  host?: string; // default 127.0.0.1
  /** Epoch ms: the verifier's window and the answers' `created`. */
  now?: () => number;
}

/**
 * A forged answer for the next calls (as far as FaultReach says), of one plate when it names one:
 * its body changed after signing, signed by a key nobody trusts, or not signed at all.
 */
export const TamperFault = v.object({
  tamper: v.picklist(['body', 'key', 'unsigned']),
  plateNumber: v.optional(v.pipe(v.string(), v.regex(/^\d{9}$/))),
  ...FaultReach,
});
export type TamperFault = v.InferOutput<typeof TamperFault>;

export interface MunicipalityCall {
  time: string;
  idempotencyKey: string | null;
  status: number;
  replayed: boolean;
  tampered: TamperFault['tamper'] | null;
}

export class MunicipalityState {
  readonly now: () => number;
  readonly nonces: MemoryNonceStore;
  readonly idempotency: MemoryIdempotencyStore;
  readonly ready: Promise<SandboxKeys>;
  readonly faults = new FaultQueue<TamperFault>((fault) => fault.plateNumber);
  calls: MunicipalityCall[] = [];

  constructor(readonly options: MunicipalitySandboxOptions) {
    this.now = options.now ?? Date.now;
    this.nonces = new MemoryNonceStore(this.now);
    this.idempotency = new MemoryIdempotencyStore(this.now);
    this.ready = loadSandboxKeys(options);
    this.ready.catch(() => {});
  }

  record(call: Omit<MunicipalityCall, 'time'>): void {
    this.calls.push({ time: new Date(this.now()).toISOString(), ...call });
    if (this.calls.length > 10_000) this.calls = this.calls.slice(-10_000);
  }
}
