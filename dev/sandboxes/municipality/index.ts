/**
 * Municipality sandbox: stands in for Tehran municipality's vehicle toll API in development and
 * tests (docs/providers.md). `POST /v1/vehicle-toll` (api.ts) checks the bearer token, every
 * request's signature, key id, time window, nonce and Content-Digest, and the Idempotency-Key, and
 * signs every answer; control (JSON): GET/DELETE /_sandbox/calls, POST/DELETE /_sandbox/faults
 * (`{"tamper": "body" | "key" | "unsigned", "plateNumber"?, "count"?, "forMs"?, "rate"?}`: forged
 * answers for the next calls, of one plate when it names one).
 *
 * Magic inputs (records.ts, MAGIC_TOLL):
 *   plate 993299999 (۹۹ ی ۹۹۹ ایران ۹۹)   no debt
 *   plate 883288888 (۸۸ ی ۸۸۸ ایران ۸۸)   500: the municipality fails
 *   national code 1583250689              404: no toll file
 * Any other national code and plate owe the same 1 to 3 years every time.
 */
import { Hono } from 'hono';
import { localMunicipalitySandboxKeys } from '../../local-keys.ts';
import { listen, type RunningServer } from '../kit/serve.ts';
import { serveMunicipalityApi } from './api.ts';
import { type MunicipalitySandboxOptions, MunicipalityState, TamperFault } from './state.ts';

export { MAGIC_TOLL } from './records.ts';

function build(options: MunicipalitySandboxOptions) {
  const state = new MunicipalityState(options);
  const app = new Hono();
  serveMunicipalityApi(app, state);
  app.get('/_sandbox/calls', (c) => c.json(state.calls));
  app.delete('/_sandbox/calls', (c) => {
    state.calls = [];
    return c.body(null, 204);
  });
  state.faults.serve(app, TamperFault, 'tamper is body, key or unsigned; plateNumber nine digits');
  return { app, state };
}

/** The sandbox as a Hono app (its keys import on the first request); `app.request` serves tests. */
export function createMunicipalitySandbox(options: MunicipalitySandboxOptions): Hono {
  return build(options).app;
}

/** Starts the sandbox on loopback, once its keys have imported; key options left out are the local ones. */
export async function startMunicipalitySandbox(
  options: Omit<MunicipalitySandboxOptions, 'trustedKeys' | 'signingKey'> & Partial<MunicipalitySandboxOptions>,
): Promise<RunningServer> {
  const { app, state } = build({ ...localMunicipalitySandboxKeys, ...options });
  await state.ready;
  return listen(app, options.port, options.host);
}
