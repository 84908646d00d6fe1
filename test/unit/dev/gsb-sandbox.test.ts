import * as v from 'valibot';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createGsbSandbox,
  type GsbSandboxOptions,
  MAGIC_BILLS,
  MAGIC_NATIONAL_CODES,
  MAGIC_PERSONAL,
  MAGIC_POSTCODES,
  startGsbSandbox,
} from '../../../dev/sandboxes/gsb/index.ts';
import { billService } from '../../../src/services/bill.ts';
import {
  billCheckDigit,
  billTypeOf,
  isValidPaymentId,
  paymentAmount,
  paymentId,
} from '../../../src/validation/bill.ts';
import { jalaliDate } from '../../../src/validation/jalali.ts';
import {
  BILL_OP,
  getToken,
  POSTCODE_OP as OP,
  prepare,
  readCalls,
  sandboxOptions,
  send,
  verifyAnswer,
  withHeader,
} from '../upstream/harness.ts';

const OPTIONS: GsbSandboxOptions = sandboxOptions();
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

type App = ReturnType<typeof createGsbSandbox>;

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  requestId: string | null;
}

/** A signed postcode lookup; `extra` replaces headers the signature does not cover. */
async function lookup(app: App, token: string, postcode: string, extra: Record<string, string> = {}, key?: string) {
  const prepared = await prepare({ token, fields: { postcode }, idempotencyKey: key ?? 'req-1', pid: 'postcode-pid' });
  let { message } = prepared;
  for (const [name, value] of Object.entries(extra)) message = withHeader(message, name, value);
  return send(app, { ...prepared, message });
}

describe('GSB sandbox: /oauth/token', () => {
  it('issues a bearer token for the right client and user', async () => {
    const app = createGsbSandbox(OPTIONS);
    const res = await app.request('/oauth/token', {
      method: 'POST',
      headers: { authorization: `Basic ${b64('pishkhan:client-secret')}` },
      body: new URLSearchParams({ grant_type: 'password', username: 'gsb-user', password: 'gsb-pass' }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 3600 });
    expect(typeof body.access_token).toBe('string');
    expect((body.access_token as string).length).toBeGreaterThan(20);
  });

  it('refuses a wrong client secret with a 401 problem', async () => {
    const app = createGsbSandbox(OPTIONS);
    const res = await app.request('/oauth/token', {
      method: 'POST',
      headers: { authorization: `Basic ${b64('pishkhan:nope')}` },
      body: 'grant_type=password&username=gsb-user&password=gsb-pass',
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as Problem).status).toBe(401);
  });

  it('refuses a wrong password with 401', async () => {
    const app = createGsbSandbox(OPTIONS);
    const res = await app.request('/oauth/token', {
      method: 'POST',
      headers: { authorization: `Basic ${b64('pishkhan:client-secret')}` },
      body: 'grant_type=password&username=gsb-user&password=wrong',
    });
    expect(res.status).toBe(401);
  });
});

describe('GSB sandbox: post/gnaf/addressByPostcode', () => {
  it('answers a signed lookup with a Persian address, signed and bound to the request', async () => {
    const app = createGsbSandbox(OPTIONS);
    const prepared = await prepare({
      token: await getToken(app),
      fields: { postcode: '1193653471' },
      idempotencyKey: 'req-1',
    });
    const res = await send(app, prepared);
    expect(res.status).toBe(200);
    expect(await verifyAnswer(res, prepared.message)).toMatchObject({ ok: true, keyId: 'gsb-sandbox-local-1' });
    const body = (await res.json()) as { requestId: string; status: string; result: Record<string, unknown> };
    expect(body.requestId).toBe('req-1');
    expect(body.status).toBe('OK');
    expect(Object.keys(body.result).sort()).toEqual(
      ['buildingName', 'floor', 'houseNumber', 'locality', 'province', 'street', 'street2', 'township', 'unit'].sort(),
    );
    expect(body.result.province).toMatch(/[\u0600-\u06FF]/);
    expect(body.result.street).toMatch(/^(خیابان|بلوار) /);
    expect(body.result.street2).toMatch(/^(کوچه|بن‌بست|خیابان) /);
  });

  it('gives the same postcode the same address and different postcodes different ones', async () => {
    const app = createGsbSandbox(OPTIONS);
    const token = await getToken(app);
    const result = async (p: string) =>
      ((await (await lookup(app, token, p, {}, `key-${crypto.randomUUID()}`)).json()) as { result: unknown }).result;
    const first = await result('1193653471');
    expect(await result('1193653471')).toEqual(first);
    expect(await result('3431745178')).not.toEqual(first);
    const many = await Promise.all(['1361714391', '4813745711', '7163711631', '6135743311', '8175313481'].map(result));
    expect(new Set(many.map((r) => JSON.stringify(r))).size).toBe(5);
  });

  it('refuses an invalid postcode with 400', async () => {
    const app = createGsbSandbox(OPTIONS);
    const res = await lookup(app, await getToken(app), '0123456789');
    expect(res.status).toBe(400);
    const problem = (await res.json()) as Problem;
    expect(problem).toMatchObject({ status: 400, requestId: 'req-1' });
    expect(problem.detail).not.toContain('0123456789');
  });

  it('answers 404 no record for 9999999999', async () => {
    const app = createGsbSandbox(OPTIONS);
    const res = await lookup(app, await getToken(app), MAGIC_POSTCODES.noRecord);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await res.json()) as Problem).toMatchObject({ status: 404, title: 'No record', requestId: 'req-1' });
  });

  it('answers 500 upstream error for 8888888888', async () => {
    const app = createGsbSandbox(OPTIONS);
    const res = await lookup(app, await getToken(app), MAGIC_POSTCODES.upstreamError);
    expect(res.status).toBe(500);
    expect(((await res.json()) as Problem).type).toContain('upstream-error');
  });

  it('answers 7777777777 correctly after the default 3 s delay', async () => {
    const app = createGsbSandbox(OPTIONS);
    const token = await getToken(app);
    const prepared = await prepare({ token, fields: { postcode: MAGIC_POSTCODES.slow } });
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      let settled = false;
      const pending = send(app, prepared).then((r) => {
        settled = true;
        return r;
      });
      // The signature checks run on WebCrypto's threads: wait until the operation is asleep.
      await vi.waitFor(() => expect(vi.getTimerCount()).toBe(1));
      await vi.advanceTimersByTimeAsync(2900);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(200);
      const res = await pending;
      expect(res.status).toBe(200);
      expect(((await res.json()) as { status: string }).status).toBe('OK');
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses a missing or unknown bearer token with 401', async () => {
    const app = createGsbSandbox(OPTIONS);
    await getToken(app);
    const res = await lookup(app, 'not-issued', '1193653471');
    expect(res.status).toBe(401);
    expect(((await res.json()) as Problem).type).toContain('invalid-token');
  });

  it('refuses a missing or wrong basicAuthorization with 401', async () => {
    const app = createGsbSandbox(OPTIONS);
    const token = await getToken(app);
    const wrong = { basicAuthorization: `Basic ${b64('basic-user:bad')}` };
    expect((await lookup(app, token, '1193653471', wrong, 'k-basic-1')).status).toBe(401);
    const res = await lookup(app, token, '1193653471', { basicAuthorization: '' }, 'k-basic-2');
    expect(res.status).toBe(401);
    expect(((await res.json()) as Problem).type).toContain('basic-authorization');
  });

  it('refuses a missing pid with 400', async () => {
    const app = createGsbSandbox(OPTIONS);
    const res = await lookup(app, await getToken(app), '1193653471', { pid: '' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as Problem).type).toContain('missing-pid');
  });
});

const LANDLINE = '7748317800142';

/** A signed bill inquiry under a fresh idempotency key; the body's requestId stays `req-bill`. */
async function inquire(app: App, token: string, fields: Record<string, string>) {
  return send(app, await prepare({ token, path: BILL_OP, fields, pid: 'pishkhan-bill-v1', requestId: 'req-bill' }));
}

interface BillAnswer {
  amount: number;
  billId: string;
  paymentId: string;
  dueDate: string;
}

describe('GSB sandbox: billing/utility/billInquiry', () => {
  const billOf = async (app: App, token: string, billType: string, billId: string) => {
    const res = await inquire(app, token, { billType, billId });
    expect(res.status).toBe(200);
    return ((await res.json()) as { result: BillAnswer }).result;
  };

  it('answers a bill with its amount in whole thousands of rials, its payment id and a Jalali due date', async () => {
    const app = createGsbSandbox(OPTIONS);
    const res = await inquire(app, await getToken(app), { billType: 'landline', billId: LANDLINE });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { requestId: string; status: string; result: BillAnswer };
    expect(body).toMatchObject({ requestId: 'req-bill', status: 'OK', result: { billId: LANDLINE } });
    expect(body.result.amount).toBeGreaterThan(0);
    expect(body.result.amount % 1000).toBe(0);
    expect(v.parse(jalaliDate, body.result.dueDate)).toBe(body.result.dueDate);
    expect(body.result.dueDate >= '1405/09/15' && body.result.dueDate <= '1405/10/13').toBe(true);
  });

  it('gives a payment id that the client accepts for that bill, carrying the amount', async () => {
    const app = createGsbSandbox(OPTIONS);
    const token = await getToken(app);
    const bills = [
      ['landline', LANDLINE],
      ['water', '2050327604613'],
      ['electricity', '9174639504124'],
    ] as const;
    for (const [billType, billId] of bills) {
      const bill = await billOf(app, token, billType, billId);
      expect(v.parse(paymentId(billId), bill.paymentId)).toBe(bill.paymentId);
      expect(paymentAmount(bill.paymentId)).toBe(bill.amount);
      expect(v.is(billService.upstream.result, bill)).toBe(true);
    }
  });

  it('gives the same bill id the same answer, and other bill ids other answers', async () => {
    const app = createGsbSandbox(OPTIONS);
    const token = await getToken(app);
    const first = await billOf(app, token, 'landline', LANDLINE);
    expect(await billOf(app, token, 'landline', LANDLINE)).toEqual(first);
    const others = await Promise.all(
      ['1', '2', '3', '4', '5'].map((type) => {
        const id = `12345678${type}`;
        const billType = ['water', 'electricity', 'gas', 'landline', 'mobile'][Number(type) - 1]!;
        return billOf(app, token, billType, `${id}${billCheckDigit(id)}`);
      }),
    );
    expect(new Set(others.map((bill) => `${bill.amount}|${bill.paymentId}|${bill.dueDate}`)).size).toBe(5);
  });

  it('refuses a bill id with a wrong check digit with a 400 that does not repeat it', async () => {
    const app = createGsbSandbox(OPTIONS);
    const res = await inquire(app, await getToken(app), { billType: 'landline', billId: '7748317800143' });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as Problem;
    expect(problem).toMatchObject({ status: 400, requestId: 'req-bill' });
    expect(problem.detail).toContain('billId');
    expect(problem.detail).not.toContain('7748317800143');
  });

  it('refuses a billType that is not what the type digit says, or not a utility, with 400', async () => {
    const app = createGsbSandbox(OPTIONS);
    const token = await getToken(app);
    expect((await inquire(app, token, { billType: 'water', billId: LANDLINE })).status).toBe(400);
    expect((await inquire(app, token, { billType: 'municipality', billId: '7748317800169' })).status).toBe(400);
    expect((await inquire(app, token, { billId: LANDLINE })).status).toBe(400);
  });

  it('answers 404 no record for the magic bill id 9999999999921, itself a valid electricity bill id', async () => {
    const app = createGsbSandbox(OPTIONS);
    expect(billCheckDigit(MAGIC_BILLS.noRecord.slice(0, -1))).toBe(Number(MAGIC_BILLS.noRecord.at(-1)));
    const res = await inquire(app, await getToken(app), { billType: 'electricity', billId: MAGIC_BILLS.noRecord });
    expect(res.status).toBe(404);
    expect((await res.json()) as Problem).toMatchObject({ status: 404, title: 'No record', requestId: 'req-bill' });
  });
});

describe('GSB sandbox: faults and call log', () => {
  it('answers 503 for every call at errorRate 1 until the faults are replaced', async () => {
    const app = createGsbSandbox({ ...OPTIONS, errorRate: 1 });
    const token = await getToken(app);
    expect((await lookup(app, token, '1193653471', {}, 'k-fault-1')).status).toBe(503);
    const set = await app.request('/_sandbox/faults', { method: 'POST', body: JSON.stringify({ errorRate: 0 }) });
    expect(await set.json()).toEqual({
      latencyMs: 0,
      errorRate: 0,
      timeoutRate: 0,
      tamperRate: 0,
      gatewayErrorRate: 0,
      gatewayErrors: [],
    });
    expect((await lookup(app, token, '1193653471', {}, 'k-fault-1')).status).toBe(200);
  });

  it('adds the configured latency to each call', async () => {
    const app = createGsbSandbox(OPTIONS);
    const token = await getToken(app);
    await app.request('/_sandbox/faults', { method: 'POST', body: JSON.stringify({ latencyMs: 120 }) });
    const started = performance.now();
    expect((await lookup(app, token, '1193653471')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('refuses fault settings out of range with 400', async () => {
    const app = createGsbSandbox(OPTIONS);
    for (const faults of [{ errorRate: 2 }, { tamperRate: -1 }, { timeoutRate: 1.5 }, { surprise: 1 }]) {
      const res = await app.request('/_sandbox/faults', { method: 'POST', body: JSON.stringify(faults) });
      expect(res.status).toBe(400);
    }
  });

  it('logs calls without body values, and clears the log on DELETE', async () => {
    const app = createGsbSandbox(OPTIONS);
    const token = await getToken(app);
    await lookup(app, token, '1193653471', {}, 'req-log');
    const calls = await readCalls(app);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      path: OP,
      pid: 'postcode-pid',
      requestId: 'req-log',
      idempotencyKey: 'req-log',
      status: 200,
      problem: null,
      replayed: false,
      performed: true,
      tampered: false,
    });
    expect(JSON.stringify(calls)).not.toContain('1193653471');
    expect((await app.request('/_sandbox/calls', { method: 'DELETE' })).status).toBe(204);
    expect(await readCalls(app)).toEqual([]);
  });
});

describe('GSB sandbox: server', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  it('listens on 127.0.0.1 on a free port and answers over HTTP', async () => {
    const server = await startGsbSandbox(OPTIONS);
    stop = server.close;
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/oauth/token`, { method: 'POST', body: 'grant_type=password' });
    expect(res.status).toBe(401);
  });

  it('refuses to listen on a non-loopback host', async () => {
    await expect(startGsbSandbox({ ...OPTIONS, host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });

  it('refuses to start with a signing key that has no key id', async () => {
    const { kid: _kid, ...anonymous } = JSON.parse(OPTIONS.signingKey as string) as Record<string, string>;
    await expect(startGsbSandbox({ ...OPTIONS, signingKey: anonymous })).rejects.toThrow(/kid/);
  });
});

describe('GSB sandbox: shahkar and the military status', () => {
  const call = async (path: string, fields: Record<string, string>, requestId: string) => {
    const app = createGsbSandbox(OPTIONS);
    const token = await getToken(app);
    return send(
      app,
      await prepare({ token, path: `/api/client/apim/v1/${path}`, fields, pid: 'pishkhan-test', requestId }),
    );
  };
  const shahkar = (identificationNo: string) =>
    call(
      'shahkar/gwsh/serviceIDmatching',
      { serviceNumber: '09022002580', serviceType: '2', identificationType: '0', identificationNo },
      `req-shahkar-${identificationNo}`,
    );

  it('matches every valid national code but the magic one', async () => {
    const matched = await shahkar('0499370899');
    expect(((await matched.json()) as { result: unknown }).result).toEqual({ matched: true });
    const mismatch = await shahkar(MAGIC_NATIONAL_CODES.mismatch);
    expect(((await mismatch.json()) as { result: unknown }).result).toEqual({ matched: false });
  });

  it('refuses a serviceType other than 2 with 400', async () => {
    const fields = {
      serviceNumber: '09022002580',
      serviceType: '1',
      identificationType: '0',
      identificationNo: '0499370899',
    };
    expect((await call('shahkar/gwsh/serviceIDmatching', fields, 'req-shahkar-type')).status).toBe(400);
  });

  it('gives a military status derived from the national code, and 404 for the magic one', async () => {
    const found = await call('nezam/service/militaryStatus', { nationalCode: '0499370899' }, 'req-military');
    expect(found.status).toBe(200);
    const { result } = (await found.json()) as { result: Record<string, unknown> };
    expect(result).toMatchObject({ type: expect.stringMatching(/^(ORDINARY|EXCEPTION)$/) });
    const none = await call(
      'nezam/service/militaryStatus',
      { nationalCode: MAGIC_NATIONAL_CODES.noRecord },
      'req-m-404',
    );
    expect(none.status).toBe(404);
  });
});

describe('GSB sandbox: the personal services', () => {
  const PERSON = { nationalCode: '0499370899', mobile: '09022002580' };
  const OTHER = { nationalCode: '0790419904', mobile: '09121234567' };
  const PLATE = '120234567';
  const call = async (path: string, fields: Record<string, string>) => {
    const app = createGsbSandbox(OPTIONS);
    const token = await getToken(app);
    const prepared = await prepare({ token, path: `/api/client/apim/v1/${path}`, fields, pid: 'pishkhan-test' });
    return send(app, prepared);
  };
  const resultOf = async (path: string, fields: Record<string, string>) => {
    const response = await call(path, fields);
    expect(response.status).toBe(200);
    return ((await response.json()) as { result: Record<string, unknown> }).result;
  };
  const BODIES: Record<string, Record<string, string>> = {
    'naja/traffic/drivingOffense': { ...PERSON, plateNumber: PLATE },
    'naja/license/negativeScore': { ...PERSON, licenseNumber: '9812345678' },
    'naja/license/licenseStatus': PERSON,
    'naja/vehicle/activePlates': PERSON,
    'police/passport/passportStatus': PERSON,
    'sabt/ahval/lifeStatus': { nationalCode: PERSON.nationalCode, birthDate: '1370/01/31' },
  };

  it.each(Object.entries(BODIES))(
    'answers %s with data derived from the inputs, the same every time',
    async (path, body) => {
      const first = await resultOf(path, body);
      expect(await resultOf(path, body)).toEqual(first);
      const other = { ...body, nationalCode: OTHER.nationalCode, ...('mobile' in body && { mobile: OTHER.mobile }) };
      expect(await resultOf(path, other)).not.toEqual(first);
    },
  );

  it.each(Object.entries(BODIES))('answers %s with 404 no record for the magic national code', async (path, body) => {
    expect((await call(path, { ...body, nationalCode: MAGIC_NATIONAL_CODES.noRecord })).status).toBe(404);
  });

  it.each(Object.entries(BODIES))('refuses %s without the national code with a 400', async (path, body) => {
    const { nationalCode: _, ...rest } = body;
    expect((await call(path, rest)).status).toBe(400);
  });

  it('gives the same national code and plate the same fines, each with Persian words, a Jalali time and valid ids', async () => {
    const result = await resultOf('naja/traffic/drivingOffense', BODIES['naja/traffic/drivingOffense']!);
    const fines = result.fines as Record<string, unknown>[];
    expect(fines.length).toBeGreaterThan(0);
    expect(result.totalAmount).toBe(fines.reduce((sum, fine) => sum + (fine.amount as number), 0));
    for (const fine of fines) {
      expect(fine.description).toMatch(/[\u0600-\u06FF]/);
      expect(fine.city).toMatch(/[\u0600-\u06FF]/);
      expect(String(fine.dateTime).split(' ')[0]! <= '1405/09/01').toBe(true);
      expect(v.is(jalaliDate, String(fine.dateTime).split(' ')[0])).toBe(true);
      if (!fine.payable) continue;
      const billId = fine.billId as string;
      expect(billTypeOf(billId)).toBe('traffic-fines');
      expect(isValidPaymentId(billId, fine.paymentId as string)).toBe(true);
      expect(paymentAmount(fine.paymentId as string)).toBe(fine.amount);
    }
  });

  it('answers the magic plate, licence number and birth date with 404 no record, for any national code', async () => {
    const fineless = { ...PERSON, plateNumber: MAGIC_PERSONAL.finelessPlate };
    expect((await call('naja/traffic/drivingOffense', fineless)).status).toBe(404);
    const unknown = { ...PERSON, licenseNumber: MAGIC_PERSONAL.unknownLicence };
    expect((await call('naja/license/negativeScore', unknown)).status).toBe(404);
    const unborn = { nationalCode: PERSON.nationalCode, birthDate: MAGIC_PERSONAL.unknownBirthDate };
    expect((await call('sabt/ahval/lifeStatus', unborn)).status).toBe(404);
  });

  it('refuses a plate that is not nine digits and a birth date that is no Jalali date with a 400', async () => {
    expect((await call('naja/traffic/drivingOffense', { ...PERSON, plateNumber: '12ب34567' })).status).toBe(400);
    const body = { nationalCode: PERSON.nationalCode, birthDate: '1370/07/31' };
    expect((await call('sabt/ahval/lifeStatus', body)).status).toBe(400);
  });
});
