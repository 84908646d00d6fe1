import { afterEach, describe, expect, it, vi } from 'vitest';
import * as v from 'valibot';
import { createGsbSandbox, MAGIC_BILLS, MAGIC_POSTCODES, startGsbSandbox, type GsbSandboxOptions } from '../../../dev/gsb-sandbox.ts';
import { billService } from '../../../src/services/bill.ts';
import { billCheckDigit, paymentAmount, paymentId } from '../../../src/validation/bill.ts';
import { jalaliDate } from '../../../src/validation/jalali.ts';

const OPTIONS: GsbSandboxOptions = {
  clientId: 'pishkhan', clientSecret: 'client-secret', username: 'gsb-user', password: 'gsb-pass', basicAuth: 'basic-user:basic-pass',
};
const OP = '/api/client/apim/v1/post/gnaf/addressByPostcode';
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

type App = ReturnType<typeof createGsbSandbox>;

async function getToken(app: App): Promise<string> {
  const res = await app.request('/oauth/token', {
    method: 'POST',
    headers: { authorization: `Basic ${b64('pishkhan:client-secret')}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=password&username=gsb-user&password=gsb-pass',
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

function lookup(app: App, token: string, postcode: string, extra: Record<string, string> = {}, requestId = 'req-1') {
  return app.request(OP, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`, basicAuthorization: `Basic ${b64('basic-user:basic-pass')}`,
      pid: 'postcode-pid', 'content-type': 'application/json', ...extra,
    },
    body: JSON.stringify({ requestId, postcode }),
  });
}

interface Problem { type: string; title: string; status: number; detail: string; requestId: string | null }

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
      method: 'POST', headers: { authorization: `Basic ${b64('pishkhan:nope')}` },
      body: 'grant_type=password&username=gsb-user&password=gsb-pass',
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as Problem).status).toBe(401);
  });

  it('refuses a wrong password with 401', async () => {
    const app = createGsbSandbox(OPTIONS);
    const res = await app.request('/oauth/token', {
      method: 'POST', headers: { authorization: `Basic ${b64('pishkhan:client-secret')}` },
      body: 'grant_type=password&username=gsb-user&password=wrong',
    });
    expect(res.status).toBe(401);
  });
});

describe('GSB sandbox: post/gnaf/addressByPostcode', () => {
  it('answers a lookup with all headers with a Persian address', async () => {
    const app = createGsbSandbox(OPTIONS);
    const res = await lookup(app, await getToken(app), '1193653471');
    expect(res.status).toBe(200);
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
    const result = async (p: string) => ((await (await lookup(app, token, p)).json()) as { result: unknown }).result;
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
    vi.useFakeTimers();
    try {
      let settled = false;
      const pending = Promise.resolve(lookup(app, token, MAGIC_POSTCODES.slow)).then((r) => { settled = true; return r; });
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
    expect((await lookup(app, 'not-issued', '1193653471')).status).toBe(401);
    const res = await app.request(OP, { method: 'POST', headers: { basicAuthorization: `Basic ${b64('basic-user:basic-pass')}`, pid: 'x' }, body: '{}' });
    expect(res.status).toBe(401);
  });

  it('refuses a missing or wrong basicAuthorization with 401', async () => {
    const app = createGsbSandbox(OPTIONS);
    const token = await getToken(app);
    expect((await lookup(app, token, '1193653471', { basicAuthorization: `Basic ${b64('basic-user:bad')}` })).status).toBe(401);
    const res = await app.request(OP, { method: 'POST', headers: { authorization: `Bearer ${token}`, pid: 'x' }, body: '{}' });
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

const BILL_OP = '/api/client/apim/v1/billing/utility/billInquiry';
const LANDLINE = '7748317800142';

function inquire(app: App, token: string, body: Record<string, string>) {
  return app.request(BILL_OP, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`, basicAuthorization: `Basic ${b64('basic-user:basic-pass')}`,
      pid: 'pishkhan-bill-v1', 'content-type': 'application/json',
    },
    body: JSON.stringify({ requestId: 'req-bill', ...body }),
  });
}

interface BillAnswer { amount: number; billId: string; paymentId: string; dueDate: string }

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
    for (const [billType, billId] of [['landline', LANDLINE], ['water', '2050327604613'], ['electricity', '9174639504124']] as const) {
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
    const others = await Promise.all(['1', '2', '3', '4', '5'].map((type) => {
      const id = `12345678${type}`;
      const billType = ['water', 'electricity', 'gas', 'landline', 'mobile'][Number(type) - 1]!;
      return billOf(app, token, billType, `${id}${billCheckDigit(id)}`);
    }));
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

describe('GSB sandbox: idempotency', () => {
  it('replays the stored first answer for the same key and body, and logs it as replayed', async () => {
    const app = createGsbSandbox(OPTIONS);
    const token = await getToken(app);
    const first = await lookup(app, token, '1193653471', { 'idempotency-key': 'k1' });
    const second = await lookup(app, token, '1193653471', { 'idempotency-key': 'k1' });
    expect(second.status).toBe(200);
    expect(await second.text()).toBe(await first.text());
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const calls = (await (await app.request('/_sandbox/calls')).json()) as { replayed: boolean; idempotencyKey: string }[];
    expect(calls.map((c) => c.replayed)).toEqual([false, true]);
    expect(calls[1]!.idempotencyKey).toBe('k1');
  });

  it('answers 422 when the key comes back with another body', async () => {
    const app = createGsbSandbox(OPTIONS);
    const token = await getToken(app);
    await lookup(app, token, '1193653471', { 'idempotency-key': 'k2' });
    const res = await lookup(app, token, '3431745178', { 'idempotency-key': 'k2' });
    expect(res.status).toBe(422);
  });

  it('answers 409 while the first request with the key is in flight', async () => {
    const app = createGsbSandbox({ ...OPTIONS, slowMs: 100 });
    const token = await getToken(app);
    const first = lookup(app, token, MAGIC_POSTCODES.slow, { 'idempotency-key': 'k3' });
    await new Promise((r) => setTimeout(r, 20));
    const second = await lookup(app, token, MAGIC_POSTCODES.slow, { 'idempotency-key': 'k3' });
    expect(second.status).toBe(409);
    expect((await first).status).toBe(200);
  });

  it('does not store a 500, so a retry with the key does the work again', async () => {
    const app = createGsbSandbox(OPTIONS);
    const token = await getToken(app);
    await lookup(app, token, MAGIC_POSTCODES.upstreamError, { 'idempotency-key': 'k4' });
    await lookup(app, token, MAGIC_POSTCODES.upstreamError, { 'idempotency-key': 'k4' });
    const calls = (await (await app.request('/_sandbox/calls')).json()) as { replayed: boolean; status: number }[];
    expect(calls).toMatchObject([{ status: 500, replayed: false }, { status: 500, replayed: false }]);
  });
});

describe('GSB sandbox: faults and call log', () => {
  it('answers 503 for every call at errorRate 1 until the faults are replaced', async () => {
    const app = createGsbSandbox({ ...OPTIONS, errorRate: 1 });
    const token = await getToken(app);
    expect((await lookup(app, token, '1193653471')).status).toBe(503);
    const set = await app.request('/_sandbox/faults', { method: 'POST', body: JSON.stringify({ errorRate: 0 }) });
    expect(await set.json()).toEqual({ latencyMs: 0, errorRate: 0 });
    expect((await lookup(app, token, '1193653471')).status).toBe(200);
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
    const res = await app.request('/_sandbox/faults', { method: 'POST', body: JSON.stringify({ errorRate: 2 }) });
    expect(res.status).toBe(400);
  });

  it('logs calls without body values, and clears the log on DELETE', async () => {
    const app = createGsbSandbox(OPTIONS);
    const token = await getToken(app);
    await lookup(app, token, '1193653471', {}, 'req-log');
    const calls = (await (await app.request('/_sandbox/calls')).json()) as Record<string, unknown>[];
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ path: OP, pid: 'postcode-pid', requestId: 'req-log', idempotencyKey: null, status: 200, replayed: false });
    expect(JSON.stringify(calls)).not.toContain('1193653471');
    expect((await app.request('/_sandbox/calls', { method: 'DELETE' })).status).toBe(204);
    expect(await (await app.request('/_sandbox/calls')).json()).toEqual([]);
  });
});

describe('GSB sandbox: server', () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => { await stop?.(); stop = undefined; });

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
});
