/**
 * GSB sandbox: stands in for the Government Service Bus in development and tests (docs/bus.md).
 * Every operation call goes through the link's verifier (RFC 9421 signature by a trusted, unrevoked
 * client key, time window, unused nonce, Content-Digest), then the PGSB checks (Bearer token,
 * basicAuthorization, pid), then the idempotency layer (422 for a key reused with another body, 409
 * while the first is in flight, the stored first answer replayed), then the operation. Every
 * answer, problems and replays included, is signed as it leaves and bound to its request.
 *
 * Endpoints (api.ts): POST /oauth/token; POST /api/client/apim/v1/{provider}/{gateway}/{operation};
 * control (control.ts, JSON): GET/POST /_sandbox/faults, GET/DELETE /_sandbox/calls,
 * GET /_sandbox/in-flight. Nonces and idempotency records live in libSQL when `libsqlUrl` is given
 * (so two sandboxes on one database refuse each other's replays), else in memory.
 *
 * Magic postcodes (all valid per Iran Post's rule, so they pass validation):
 *   9999999999  404 no record
 *   8888888888  500 upstream error (not stored for idempotency: a retry does the work again)
 *   7777777777  correct answer after a delay (`slowMs`, default 3000 ms)
 *
 * Bill inquiry (billing/utility/billInquiry): billType is one of water, electricity, gas, landline,
 * mobile, and must be what the bill id's type digit says; the answer's amount (a multiple of 1000
 * rials), paymentId (check digits of docs/bus.md#bill-id-and-payment-id) and dueDate (Jalali, 2 to
 * 6 weeks after 1405/09/01) are derived from the bill id. Magic bill id (valid, electricity):
 *   9999999999921  404 no unpaid bill
 *
 * Shahkar (shahkar/gwsh/serviceIDmatching: serviceNumber 09…, serviceType '2', identificationType
 * '0', identificationNo) answers `{matched: true}` for every valid national code but one. The
 * personal services (docs/bus.md#service-catalogue: military status, traffic fines, negative
 * points, licence status, active plates, passport, life status) answer from data derived from the
 * national code and their inputs: the same code always gets the same fines, licences, plates and
 * passport; fines have traffic-fine bill ids and payment ids with valid check digits (dates fall
 * before 1405/09/01, the sandbox's "today"). Magic national codes (valid):
 *   0684159414  Shahkar `{matched: false}`, whatever the mobile
 *   1583250689  every personal service: 404 no record
 * Magic inputs of the personal services, for any national code:
 *   plateNumber 993299999 (۹۹ ی ۹۹۹ ایران ۹۹)  traffic fines: 404 no fines
 *   licenseNumber 9999999999                  negative points: 404 no such licence
 *   birthDate 1300/01/01                       life status: 404 nobody with that birth date
 *
 * Faults (`POST /_sandbox/faults` replaces them as a whole; the options set the first ones):
 * latencyMs, errorRate (503), timeoutRate (hang until the client gives up, at most `hangMs`),
 * tamperRate (the body changed after signing, or a signature by a key nobody trusts), and a gateway
 * in front of the bus answering by itself, unsigned: gatewayErrorRate (503s), gatewayErrors (a queue
 * of `{status, retryAfter?, match?}`, each for the next call whose body holds `match`).
 */
import { Hono } from 'hono';
import { localSandboxKeys } from '../../local-keys.ts';
import { listen, type RunningServer } from '../kit/serve.ts';
import { serveGsbApi } from './api.ts';
import type { SandboxKeySettings } from './channel.ts';
import { serveGsbControl } from './control.ts';
import { type GsbSandboxOptions, GsbState } from './state.ts';

export { MAGIC_BILLS, MAGIC_NATIONAL_CODES, MAGIC_PERSONAL, MAGIC_POSTCODES } from './operations.ts';
export type { GsbCall, GsbSandboxOptions } from './state.ts';
export type { RunningServer };

function build(options: GsbSandboxOptions): { app: Hono; state: GsbState } {
  const state = new GsbState(options);
  const app = new Hono();
  serveGsbApi(app, state);
  serveGsbControl(app, state);
  return { app, state };
}

/** The sandbox as a Hono app (its keys import on the first request); `app.request` serves tests. */
export function createGsbSandbox(options: GsbSandboxOptions): Hono {
  return build(options).app;
}

/** Key options left out default to the local development keys (dev/local-keys.ts). */
export type GsbSandboxServerOptions = Omit<GsbSandboxOptions, keyof SandboxKeySettings> & Partial<SandboxKeySettings>;

/** Starts the sandbox on loopback, once its keys have imported. */
export async function startGsbSandbox(options: GsbSandboxServerOptions): Promise<RunningServer> {
  const { app, state } = build({ ...localSandboxKeys, ...options });
  await state.ready;
  return listen(app, options.port, options.host);
}
