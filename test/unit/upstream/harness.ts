/**
 * What the upstream client's tests share: the sandbox's settings with the local keys, signed requests
 * made by hand (to be bent by the refusal tests), the sandbox's answers checked, the client wired
 * to a sandbox app, a clock the tests move, and a migrated libSQL database of their own.
 */
import type { Hono } from 'hono';
import { localChannelVars, localClientKey, localSandboxKey, localSandboxKeys } from '../../../dev/local-keys.ts';
import { startLocalStack } from '../../../dev/local-stack.ts';
import type { GsbCall, GsbSandboxOptions } from '../../../dev/sandboxes/gsb/index.ts';
import { loadGsbKeys } from '../../../src/upstream/gsb/keys.ts';
import { gsbClient } from '../../../src/upstream/gsb/pgsb.ts';
import type { SignedClient, SignedClientOptions } from '../../../src/upstream/signed-client.ts';
import { importSigningKey, importVerifyKeys } from '../../../src/upstream/signing/keys.ts';
import { type RequestMessage, responseMessage } from '../../../src/upstream/signing/message-signature.ts';
import { type SigningKey, type SignRequestOptions, signRequest } from '../../../src/upstream/signing/profile.ts';
import { type Refusal, type Verified, verifyResponse } from '../../../src/upstream/signing/verifier.ts';

export const BASE_URL = 'http://gsb.test';
export const POSTCODE_OP = '/api/client/apim/v1/post/gnaf/addressByPostcode';
export const BILL_OP = '/api/client/apim/v1/billing/utility/billInquiry';

export const CREDENTIALS = {
  clientId: 'pishkhan',
  clientSecret: 'client-secret',
  username: 'gsb-user',
  password: 'gsb-pass',
  basicAuth: 'basic-user:basic-pass',
};

/** A sandbox that trusts the local client key and signs with the local sandbox key. */
export function sandboxOptions(extra: Partial<GsbSandboxOptions> = {}): GsbSandboxOptions {
  return { ...CREDENTIALS, ...localSandboxKeys, ...extra };
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
const encoder = new TextEncoder();

/** The local client key, as the client signs with it. */
export async function clientSigner(): Promise<SigningKey> {
  return { key: await importSigningKey(localClientKey), keyId: localClientKey.kid };
}

/** A password-grant token request with CREDENTIALS. */
export function tokenRequest(): RequestInit {
  return {
    method: 'POST',
    headers: { authorization: `Basic ${b64('pishkhan:client-secret')}` },
    body: 'grant_type=password&username=gsb-user&password=gsb-pass',
  };
}

export async function getToken(app: Hono): Promise<string> {
  const response = await app.request('/oauth/token', tokenRequest());
  if (response.status !== 200) throw new Error(`no token: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export interface Prepared {
  message: RequestMessage;
  body: Uint8Array<ArrayBuffer>;
}

export interface PrepareOptions {
  token: string;
  /** Where the request goes: BASE_URL (any host serves `app.request`) unless given. */
  baseUrl?: string;
  path?: string;
  /** The JSON body's fields besides `requestId`. */
  fields: Record<string, string>;
  idempotencyKey?: string;
  /** The body's `requestId`: the idempotency key unless given. */
  requestId?: string;
  pid?: string;
  signer?: SigningKey;
  sign?: SignRequestOptions;
}

/** A request as the client would send it, signed (unless `signer` is null). */
export async function prepare(options: PrepareOptions): Promise<Prepared> {
  const key = options.idempotencyKey ?? `key-${crypto.randomUUID()}`;
  const body = encoder.encode(JSON.stringify({ requestId: options.requestId ?? key, ...options.fields }));
  const unsigned: RequestMessage = {
    method: 'POST',
    url: `${options.baseUrl ?? BASE_URL}${options.path ?? POSTCODE_OP}`,
    headers: [
      ['authorization', `Bearer ${options.token}`],
      ['basicauthorization', `Basic ${b64(CREDENTIALS.basicAuth)}`],
      ['pid', options.pid ?? 'pishkhan-postcode-v1'],
      ['content-type', 'application/json'],
      ['x-request-id', crypto.randomUUID()],
      ['idempotency-key', key],
    ],
  };
  const signer = options.signer ?? (await clientSigner());
  const signature = await signRequest(unsigned, body, signer, options.sign);
  return { message: { ...unsigned, headers: [...unsigned.headers, ...signature] }, body };
}

/** Sends a prepared request to the app: duplicated header lines stay duplicated, as on the wire. */
export function send(app: Hono, { message, body }: Prepared, signal?: AbortSignal): Promise<Response> {
  return Promise.resolve(
    app.request(message.url, {
      method: message.method,
      headers: new Headers(message.headers as [string, string][]),
      body,
      signal,
    }),
  );
}

/** The message with one header's value replaced (or, with `append`, the header repeated). */
export function withHeader(message: RequestMessage, name: string, value: string, append = false): RequestMessage {
  const kept = append ? message.headers : message.headers.filter(([field]) => field !== name);
  return { ...message, headers: [...kept, [name, value]] };
}

/** Checks the sandbox's signature on an answer to `request`. */
export async function verifyAnswer(response: Response, request: RequestMessage): Promise<Verified | Refusal> {
  const body = new Uint8Array(await response.clone().arrayBuffer());
  const keys = await importVerifyKeys(localChannelVars.GSB_RESPONSE_KEYS);
  return verifyResponse(responseMessage(response), body, request, { keys });
}

/** The problem `type` of a problem+json answer. */
export async function problemType(response: Response): Promise<string> {
  return ((await response.clone().json()) as { type: string }).type;
}

export async function readCalls(app: Hono): Promise<GsbCall[]> {
  return (await (await app.request('/_sandbox/calls')).json()) as GsbCall[];
}

/** A clock that only moves when told to, or when a retry "sleeps". */
export function manualClock(start = Date.now()) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

/** Serves fetches from the app, recording each request (its headers and exact body bytes) first. */
export function appFetcher(app: Hono, sent: Request[] = []): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    sent.push(request.clone());
    return app.request(request);
  };
}

/** A client with the local keys, talking to the app. */
export async function clientFor(app: Hono, options: Partial<SignedClientOptions> = {}): Promise<SignedClient> {
  const keys = await loadGsbKeys({
    signingKey: localClientKey,
    keyId: localClientKey.kid,
    responseKeys: { keys: [publicHalf(localSandboxKey)] },
  });
  return gsbClient({ baseUrl: BASE_URL, ...CREDENTIALS }, { keys, fetcher: appFetcher(app), ...options });
}

function publicHalf<T extends { d: string }>({ d: _private, ...publicJwk }: T): Omit<T, 'd'> {
  return publicJwk;
}

/** A migrated database on a local libSQL server of its own. */
export async function startDatabase(): Promise<{ url: string; stop(): Promise<void> }> {
  const stack = await startLocalStack({ parts: ['libsql'] });
  return { url: stack.urls.libsql, stop: stack.stop };
}
