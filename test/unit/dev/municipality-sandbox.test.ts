/**
 * The municipality sandbox on its own: it refuses what the municipality would (no token, no
 * signature, a key it does not trust, a key reused with another body), replays a completed answer,
 * signs every answer, and owes each plate the same years, with ids that pass the bill rules.
 */
import { describe, expect, it } from 'vitest';
import {
  localClientKey,
  localMunicipalityClientKey,
  localMunicipalitySandboxKey,
  localMunicipalitySandboxKeys,
} from '../../../dev/local-keys.ts';
import { localMunicipality } from '../../../dev/local-settings.ts';
import { createMunicipalitySandbox, MAGIC_TOLL } from '../../../dev/sandboxes/municipality/index.ts';
import { tollFor } from '../../../dev/sandboxes/municipality/records.ts';
import { importSigningKey, importVerifyKeys } from '../../../src/upstream/signing/keys.ts';
import { type RequestMessage, responseMessage } from '../../../src/upstream/signing/message-signature.ts';
import { signRequest } from '../../../src/upstream/signing/profile.ts';
import { verifyResponse } from '../../../src/upstream/signing/verifier.ts';
import { billTypeOf, isValidPaymentId, paymentAmount } from '../../../src/validation/bill.ts';

const URL_ = 'http://127.0.0.1:9/v1/vehicle-toll';
const sandbox = () => createMunicipalitySandbox({ ...localMunicipality, ...localMunicipalitySandboxKeys });
const fields = (plateNumber = '120234567') => ({
  requestId: 'k-1',
  nationalCode: '0499370899',
  mobile: '09022002580',
  plateNumber,
});

/** A request as the client sends it, signed with `key` (ours by default). */
async function request(body: object, key = 'k-1', signer: object = localMunicipalityClientKey, token?: string) {
  const bytes = new TextEncoder().encode(JSON.stringify(body));
  const message: RequestMessage = {
    method: 'POST',
    url: URL_,
    headers: [
      ['authorization', `Bearer ${token ?? localMunicipality.token}`],
      ['content-type', 'application/json'],
      ['x-request-id', crypto.randomUUID()],
      ['idempotency-key', key],
    ],
  };
  const keyId = (signer as { kid: string }).kid;
  const signature = await signRequest(message, bytes, { key: await importSigningKey(signer), keyId });
  return { message: { ...message, headers: [...message.headers, ...signature] }, bytes };
}

async function send(app: ReturnType<typeof sandbox>, { message, bytes }: Awaited<ReturnType<typeof request>>) {
  return app.request(message.url, { method: 'POST', headers: message.headers.map(([n, v]) => [n, v]), body: bytes });
}

const problemType = async (response: Response) => ((await response.json()) as { type: string }).type;

describe('the municipality sandbox', () => {
  it('answers a signed request with a signed answer bound to it', async () => {
    const app = sandbox();
    const sent = await request(fields());
    const response = await send(app, sent);
    expect(response.status).toBe(200);
    const keys = await importVerifyKeys({ keys: [{ ...localMunicipalitySandboxKey, d: undefined }] });
    const body = new Uint8Array(await response.clone().arrayBuffer());
    const verified = await verifyResponse(responseMessage(response), body, sent.message, { keys });
    expect(verified.ok).toBe(true);
    expect(await response.json()).toMatchObject({
      requestId: 'k-1',
      status: 'OK',
      result: { years: expect.any(Array) },
    });
  });

  it('refuses a wrong token, an unsigned request and a key it does not trust', async () => {
    const app = sandbox();
    expect((await send(app, await request(fields(), 'k-2', localMunicipalityClientKey, 'wrong'))).status).toBe(401);
    const unsigned = await app.request(URL_, {
      method: 'POST',
      headers: { authorization: `Bearer ${localMunicipality.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(fields()),
    });
    expect(unsigned.status).toBe(401);
    expect(await problemType(unsigned)).toBe('https://pishkhan.ir/problems/signature-missing');
    const stranger = await send(app, await request(fields(), 'k-3', localClientKey));
    expect(await problemType(stranger)).toBe('https://pishkhan.ir/problems/key-unknown');
  });

  it('replays the first answer of a key, and refuses the key with another body', async () => {
    const app = sandbox();
    const first = await (await send(app, await request(fields(), 'k-4'))).json();
    const again = await send(app, await request(fields(), 'k-4'));
    expect(await again.json()).toEqual(first);
    const other = await send(app, await request(fields('130234567'), 'k-4'));
    expect(other.status).toBe(422);
    const calls = (await (await app.request('/_sandbox/calls')).json()) as { replayed: boolean }[];
    expect(calls.map((call) => call.replayed)).toEqual([false, true, false]);
  });

  it('takes its magic inputs: no debt, the municipality failing, no file', async () => {
    const app = sandbox();
    const free = await send(app, await request(fields(MAGIC_TOLL.debtFreePlate), 'k-5'));
    expect(((await free.json()) as { result: unknown }).result).toEqual({ years: [] });
    expect((await send(app, await request(fields(MAGIC_TOLL.failingPlate), 'k-6'))).status).toBe(500);
    const none = await send(app, await request({ ...fields(), nationalCode: MAGIC_TOLL.noRecord }, 'k-7'));
    expect(none.status).toBe(404);
  });

  it('owes a plate the same years every time, each a municipality bill whose payment id carries its amount', () => {
    const toll = tollFor('0499370899', '120234567');
    expect(tollFor('0499370899', '120234567')).toEqual(toll);
    expect(toll.years.length).toBeGreaterThanOrEqual(1);
    for (const year of toll.years) {
      expect(billTypeOf(year.billId)).toBe('municipality');
      expect(isValidPaymentId(year.billId, year.paymentId)).toBe(true);
      expect(paymentAmount(year.paymentId)).toBe(year.amountRials);
    }
  });
});
