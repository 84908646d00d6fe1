/**
 * `npx tsx bench/signing.ts`: what the signed link costs per request, in Node: the median
 * microseconds to sign one request (Content-Digest, signature base, Ed25519) and to verify one
 * (parse, policy, signature, digest, nonce), over a few thousand of each after a warm-up. Each
 * verification gets a request of its own, as the nonce check would refuse a second look.
 */
import { generateKeyPair, importSigningKey, importVerifyKeys } from '../src/upstream/signing/keys.ts';
import type { RequestMessage } from '../src/upstream/signing/message-signature.ts';
import { MemoryNonceStore } from '../src/upstream/signing/nonce-store.ts';
import { signRequest } from '../src/upstream/signing/profile.ts';
import { verifyRequest } from '../src/upstream/signing/verifier.ts';

const WARMUP = 500;
const RUNS = 5_000;

const { privateJwk, publicJwk } = await generateKeyPair('bench-1');
const signer = { key: await importSigningKey(privateJwk), keyId: 'bench-1' };
const options = { keys: await importVerifyKeys({ keys: [publicJwk] }), nonces: new MemoryNonceStore() };

// A request of the size the channel sends: a postcode inquiry.
const body = new TextEncoder().encode(
  JSON.stringify({ requestId: '01JBENCHKEY0000000000000000', postcode: '1193653471' }),
);
const request: RequestMessage = {
  method: 'POST',
  url: 'https://gsb.example/api/client/apim/v1/post/gnaf/addressByPostcode',
  headers: [
    ['authorization', 'Bearer 0123456789abcdef0123456789abcdef'],
    ['basicauthorization', 'Basic dXNlcjpwYXNz'],
    ['pid', 'postcode-1'],
    ['content-type', 'application/json'],
    ['x-request-id', crypto.randomUUID()],
    ['idempotency-key', '01JBENCHKEY0000000000000000'],
  ],
};

async function sign(): Promise<RequestMessage> {
  return { ...request, headers: [...request.headers, ...(await signRequest(request, body, signer))] };
}

async function medianMicros(runs: number, step: (i: number) => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await step(i);
    samples.push((performance.now() - start) * 1000);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

async function verify(message: RequestMessage): Promise<void> {
  const result = await verifyRequest(message, body, options);
  if (!result.ok) throw new Error(`the bench's own request was refused: ${result.problem.title}`);
}

const warmups = await Promise.all(Array.from({ length: WARMUP }, sign));
for (const message of warmups) await verify(message);

const signUs = await medianMicros(RUNS, sign);
const signed = await Promise.all(Array.from({ length: RUNS }, sign));
const verifyUs = await medianMicros(RUNS, (i) => verify(signed[i] as RequestMessage));

console.log(`signed link, Node ${process.version}, ${RUNS} runs after ${WARMUP} warm-up:`);
console.log(`  sign one request:   median ${signUs.toFixed(1)} µs`);
console.log(`  verify one request: median ${verifyUs.toFixed(1)} µs`);
