// GSB sandbox: stands in for the Government Service Bus in development and tests. Owns the OAuth2
// token endpoint, the operations table (one entry per catalogue operation), idempotent replay,
// injected faults and the call log. Request signatures (RFC 9421) are added by later work.
// Endpoints: POST /oauth/token; POST /api/client/apim/v1/{provider}/{gateway}/{operation};
// control (JSON): GET/POST /_sandbox/faults, GET/DELETE /_sandbox/calls.
//
// Magic postcodes (all valid per Iran Post's rule, so they pass validation):
//   9999999999  404 no record
//   8888888888  500 upstream error (not stored for idempotency: a retry does the work again)
//   7777777777  correct answer after a delay (`slowMs`, default 3000 ms)
//
// Bill inquiry (billing/utility/billInquiry): billType is one of water, electricity, gas, landline,
// mobile, and must be what the bill id's type digit says; the answer's amount (a multiple of 1000
// rials), paymentId (check digits of gsb-channel.md §7) and dueDate (Jalali, 2 to 6 weeks after
// 1405/09/01) are derived from the bill id. Magic bill id (valid per §7, electricity):
//   9999999999921  404 no unpaid bill
import { Hono } from 'hono';
import * as v from 'valibot';
import { billTypeOf, buildPaymentId, hasBillCheckDigit, UTILITY_BILL_TYPES, type UtilityBillType } from '../src/validation/bill.ts';
import { formatJalali, toGregorian, toJalali } from '../src/validation/jalali.ts';
import { listen, type RunningServer } from './serve.ts';

export type { RunningServer };

export const MAGIC_POSTCODES = { noRecord: '9999999999', upstreamError: '8888888888', slow: '7777777777' } as const;
export const MAGIC_BILLS = { noRecord: '9999999999921' } as const;

export interface GsbSandboxOptions {
  port?: number; // 0 = a free port (default)
  host?: string; // default 127.0.0.1
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  basicAuth: string; // 'user:pass' expected in the basicAuthorization header
  latencyMs?: number;
  errorRate?: number; // 0..1: share of operation calls answered 503
  slowMs?: number; // delay of the "slow" magic inputs, default 3000
}

/** Fault settings; `POST /_sandbox/faults` replaces them as a whole. */
export interface GsbFaults { latencyMs: number; errorRate: number }

/** One received operation call, without body values (they may be personal data). */
export interface GsbCall {
  time: string; path: string; pid: string | null; requestId: string | null;
  idempotencyKey: string | null; status: number; replayed: boolean;
}

const API_PREFIX = '/api/client/apim/v1/';
const TOKEN_TTL_S = 3600;
const MAX_CALLS = 10_000; // keeps a long load run from growing the log without bound
const POSTCODE_RE = /^(?![02])(?!\d{1}[02])(?!\d{2}[02])(?!\d{3}[02])(?!\d{4}[025])(?!\d{5}0)(?!\d{6}0000)\d{10}$/;

// ---- problems (RFC 9457) ----

interface Problem { status: number; slug: string; title: string; detail: string }
interface Stored { status: number; body: string; contentType: string }

const problem = (status: number, slug: string, title: string, detail: string): Problem => ({ status, slug, title, detail });

function problemBody(p: Problem, requestId: string | null): Stored {
  const body = { type: `urn:pishkhan:gsb-sandbox:${p.slug}`, title: p.title, status: p.status, detail: p.detail, requestId };
  return { status: p.status, body: JSON.stringify(body), contentType: 'application/problem+json' };
}

const jsonBody = (status: number, value: unknown): Stored => ({ status, body: JSON.stringify(value), contentType: 'application/json' });

function toResponse(s: Stored, replayed = false): Response {
  const headers: Record<string, string> = { 'content-type': s.contentType };
  if (replayed) headers['idempotent-replayed'] = 'true';
  return new Response(s.body, { status: s.status, headers });
}

/** Names the failing fields only: Valibot's default messages would echo the (personal) input. */
function invalidFields(issues: readonly v.BaseIssue<unknown>[]): Problem {
  const fields = [...new Set(issues.map((i) => v.getDotPath(i) ?? '(body)'))].join(', ');
  return problem(400, 'invalid-body', 'Invalid request body', `invalid or missing field(s): ${fields}`);
}

// ---- operations table: one entry per catalogue operation path ----

type Outcome = { ok: true; result: unknown } | { ok: false; problem: Problem };
interface OpContext { slowMs: number }
type Operation = (json: unknown, ctx: OpContext) => Promise<Outcome>;

function operation<S extends v.GenericSchema<unknown, { requestId: string }>>(
  schema: S,
  run: (input: v.InferOutput<S>, ctx: OpContext) => Promise<Outcome>,
): Operation {
  return async (json, ctx) => {
    const parsed = v.safeParse(schema, json);
    return parsed.success ? run(parsed.output, ctx) : { ok: false, problem: invalidFields(parsed.issues) };
  };
}

const RequestId = v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(128));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const OPERATIONS: Record<string, Operation> = {
  'post/gnaf/addressByPostcode': operation(
    v.object({ requestId: RequestId, postcode: v.pipe(v.string(), v.regex(POSTCODE_RE)) }),
    async ({ postcode }, ctx) => {
      if (postcode === MAGIC_POSTCODES.noRecord) {
        return { ok: false, problem: problem(404, 'no-record', 'No record', 'no address is registered for this postcode') };
      }
      if (postcode === MAGIC_POSTCODES.upstreamError) {
        return { ok: false, problem: problem(500, 'upstream-error', 'Upstream error', 'the provider (post/gnaf) failed to answer') };
      }
      if (postcode === MAGIC_POSTCODES.slow) await sleep(ctx.slowMs);
      return { ok: true, result: addressFor(postcode) };
    },
  ),
  'billing/utility/billInquiry': operation(
    v.pipe(
      v.object({
        requestId: RequestId,
        billType: v.picklist(UTILITY_BILL_TYPES),
        billId: v.pipe(v.string(), v.regex(/^[1-9]\d{5,12}$/), v.check(hasBillCheckDigit)),
      }),
      v.forward(v.check(({ billType, billId }) => billTypeOf(billId) === billType), ['billId']),
    ),
    async ({ billType, billId }) => {
      if (billId === MAGIC_BILLS.noRecord) {
        return { ok: false, problem: problem(404, 'no-record', 'No record', 'no unpaid bill is registered for this bill id') };
      }
      return { ok: true, result: billFor(billId, billType) };
    },
  ),
};

// ---- deterministic Persian addresses ----

// province|township:locality,locality|township:...
const GEO = `
تهران|تهران:یوسف‌آباد,نارمک,سعادت‌آباد,تهرانپارس,شهرک غرب,پونک,جنت‌آباد,امیرآباد|ری:شهر ری,دولت‌آباد,باقرشهر|شمیرانات:تجریش,دربند,زعفرانیه|اسلامشهر:واوان,قائمیه
اصفهان|اصفهان:جلفا,سپاهان‌شهر,مرداویج,ملک‌شهر,خانه اصفهان|کاشان:فین,امیرکبیر|نجف‌آباد:مرکز شهر,ویلاشهر
خراسان رضوی|مشهد:احمدآباد,سجاد,وکیل‌آباد,قاسم‌آباد,الهیه,طبرسی|نیشابور:مرکز شهر,فیروزه|سبزوار:مرکز شهر,اسرار
فارس|شیراز:معالی‌آباد,قصردشت,زرهی,ملاصدرا,ارم,شهرک گلستان|مرودشت:مرکز شهر,شهرک امام|جهرم:مرکز شهر,سیاهو
آذربایجان شرقی|تبریز:ولیعصر,باغمیشه,ائل‌گلی,منظریه,آبرسان|مراغه:مرکز شهر,دروازه|مرند:مرکز شهر
البرز|کرج:گوهردشت,عظیمیه,مهرشهر,جهانشهر,باغستان|فردیس:فاز یک,فاز چهار|نظرآباد:مرکز شهر
گیلان|رشت:گلسار,حمیدیان,منظریه,پاستور|بندر انزلی:غازیان,مرکز شهر|لاهیجان:شعربافان,مرکز شهر
خوزستان|اهواز:کیانپارس,امانیه,گلستان,کوی ملت,زیتون کارمندی|دزفول:مرکز شهر,کوی انقلاب|آبادان:بریم,مرکز شهر
مازندران|ساری:پانزده خرداد,کوی کارمندان,مرکز شهر|بابل:مرکز شهر,امیرکلا|آمل:مرکز شهر,هراز
کرمان|کرمان:شهرک باهنر,هزارویک شب,مرکز شهر|رفسنجان:مرکز شهر|سیرجان:مرکز شهر
یزد|یزد:صفائیه,آزادشهر,فهادان|میبد:مرکز شهر|اردکان:مرکز شهر
قم|قم:پردیسان,صفائیه,زنبیل‌آباد,سالاریه
`.trim().split('\n').map((line) => {
  const [province = '', ...townships] = line.split('|');
  return { province, townships: townships.map((t) => { const [name = '', locs = ''] = t.split(':'); return { name, localities: locs.split(',') }; }) };
});
const STREETS = ['ولیعصر', 'انقلاب', 'آزادی', 'شریعتی', 'امام خمینی', 'فردوسی', 'حافظ', 'سعدی', 'شهید مطهری', 'شهید بهشتی', 'طالقانی', 'جمهوری اسلامی', 'مدرس', 'شهید چمران', 'کشاورز', 'فاطمی', 'پاسداران', 'نیایش', 'امام رضا', 'هفده شهریور'];
const LANES = ['لاله', 'نسترن', 'یاس', 'اقاقیا', 'سرو', 'گلستان', 'شقایق', 'نیلوفر', 'ارغوان', 'مریم', 'سوسن', 'صنوبر', 'نارون', 'کاج', 'مهر', 'بهار'];
const MARTYRS = ['احمدی', 'رضایی', 'کاظمی', 'محمدی', 'حسینی', 'کریمی', 'موسوی', 'جعفری', 'صادقی', 'نوری'];
const BUILDINGS = ['نگین', 'آفتاب', 'پارسیان', 'الماس', 'سپهر', 'ارکیده', 'یاقوت', 'امید', 'بهاران', 'مروارید'];

const faDigits = (n: number) => String(n).replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);

/** FNV-1a seed into mulberry32: the same postcode always draws the same address. */
function seededRandom(seedText: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seedText.length; i++) h = Math.imul(h ^ seedText.charCodeAt(i), 0x01000193);
  let s = h >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function addressFor(postcode: string) {
  const rand = seededRandom(postcode);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
  const geo = pick(GEO);
  const township = pick(geo.townships);
  const lane = [
    () => `کوچه ${pick(LANES)}`,
    () => `کوچه ${faDigits(int(1, 40))}`,
    () => `بن‌بست ${pick(LANES)}`,
    () => `کوچه شهید ${pick(MARTYRS)}`,
    () => `خیابان ${pick(LANES)} ${faDigits(int(1, 12))}`,
  ];
  const tower = rand() < 0.55;
  const floor = tower ? int(0, 12) : int(0, 3);
  return {
    province: geo.province,
    township: township.name,
    locality: pick(township.localities),
    street: `${pick(['خیابان', 'خیابان', 'بلوار'])} ${pick(STREETS)}`,
    street2: pick(lane)(),
    houseNumber: int(1, 250),
    floor,
    unit: tower ? floor * 4 + int(1, 4) : floor + 1,
    buildingName: tower ? `${pick(['ساختمان', 'مجتمع', 'برج'])} ${pick(BUILDINGS)}` : '',
  };
}

// ---- deterministic bills ----

/** Plausible amounts of each bill type, in thousands of rials. */
const BILL_AMOUNTS: Record<UtilityBillType, readonly [number, number]> = {
  water: [30, 900],
  electricity: [80, 4000],
  gas: [40, 6000],
  landline: [20, 600],
  mobile: [50, 3000],
};
/** Due dates fall 2 to 6 weeks after this day, so the data stays the same from run to run. */
const DUE_REFERENCE = toGregorian({ year: 1405, month: 9, day: 1 });

/** The same bill id always draws the same bill, with a payment id the client's own check accepts. */
function billFor(billId: string, billType: UtilityBillType) {
  const rand = seededRandom(`bill:${billId}`);
  const [min, max] = BILL_AMOUNTS[billType];
  const amount = (min + Math.floor(rand() * (max - min + 1))) * 1000;
  const daysAfter = 14 + Math.floor(rand() * 29);
  const due = new Date(Date.UTC(DUE_REFERENCE.year, DUE_REFERENCE.month - 1, DUE_REFERENCE.day + daysAfter));
  const dueDate = toJalali({ year: due.getUTCFullYear(), month: due.getUTCMonth() + 1, day: due.getUTCDate() });
  // The payment id's period: the year's last digit and the month the bill is due in.
  const period = `${dueDate.year % 10}${String(dueDate.month).padStart(2, '0')}`;
  return { amount, billId, paymentId: buildPaymentId(billId, amount, period), dueDate: formatJalali(dueDate, 'latin') };
}

// ---- the app ----

const utf8Base64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));

/** Compares secrets without an early exit, so timing does not reveal the common prefix. */
function sameSecret(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

function parseJson(raw: string): unknown {
  try { return JSON.parse(raw); } catch { return undefined; }
}

const TokenForm = v.object({ grant_type: v.literal('password'), username: v.string(), password: v.string() });
const FaultsBody = v.strictObject({
  latencyMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(600_000))),
  errorRate: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
});

export function createGsbSandbox(options: GsbSandboxOptions): Hono {
  const expectedClient = `Basic ${utf8Base64(`${options.clientId}:${options.clientSecret}`)}`;
  const expectedBasic = `Basic ${utf8Base64(options.basicAuth)}`;
  const ctx: OpContext = { slowMs: options.slowMs ?? 3000 };
  const tokens = new Map<string, number>(); // token -> expiry (ms since epoch)
  // Idempotency records: a record without `stored` is in flight.
  const idempotency = new Map<string, { fingerprint: string; stored?: Stored }>();
  let faults: GsbFaults = { latencyMs: options.latencyMs ?? 0, errorRate: options.errorRate ?? 0 };
  let calls: GsbCall[] = [];
  const app = new Hono();

  app.post('/oauth/token', async (c) => {
    const requestId = c.req.header('x-request-id') ?? null;
    if (!sameSecret(c.req.header('authorization') ?? '', expectedClient)) {
      return toResponse(problemBody(problem(401, 'invalid-client', 'Invalid client', 'client id or secret is wrong or missing'), requestId));
    }
    const form = v.safeParse(TokenForm, Object.fromEntries(new URLSearchParams(await c.req.text())));
    if (!form.success) return toResponse(problemBody(invalidFields(form.issues), requestId));
    const userOk = sameSecret(form.output.username, options.username);
    if (!(sameSecret(form.output.password, options.password) && userOk)) {
      return toResponse(problemBody(problem(401, 'invalid-grant', 'Invalid grant', 'username or password is wrong'), requestId));
    }
    const now = Date.now();
    for (const [t, exp] of tokens) if (exp <= now) tokens.delete(t);
    const token = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))).replace(/[+/=]/g, '');
    tokens.set(token, now + TOKEN_TTL_S * 1000);
    return c.json({ access_token: token, token_type: 'bearer', expires_in: TOKEN_TTL_S });
  });

  const storable = (status: number) => (status >= 200 && status < 300) || status === 400 || status === 404;

  async function answer(opPath: string, raw: string, json: unknown, requestId: string | null, headers: (name: string) => string | undefined)
    : Promise<{ stored: Stored; replayed: boolean }> {
    const fail = (p: Problem) => ({ stored: problemBody(p, requestId), replayed: false });
    const bearer = /^bearer\s+(\S+)$/i.exec(headers('authorization') ?? '')?.[1];
    const expiry = bearer ? tokens.get(bearer) : undefined;
    if (!expiry || expiry <= Date.now()) return fail(problem(401, 'invalid-token', 'Invalid access token', 'bearer token is missing, unknown or expired'));
    if (!sameSecret(headers('basicauthorization') ?? '', expectedBasic)) {
      return fail(problem(401, 'invalid-basic-authorization', 'Invalid basicAuthorization', 'basicAuthorization header is missing or wrong'));
    }
    if (!headers('pid')?.trim()) return fail(problem(400, 'missing-pid', 'Missing pid', 'the pid header names the service and is required'));
    const op = OPERATIONS[opPath];
    if (!op) return fail(problem(404, 'unknown-operation', 'Unknown operation', `no operation at ${opPath}`));

    const key = headers('idempotency-key') || null;
    const fingerprint = key ? await sha256(`${opPath}\n${raw}`) : '';
    if (key) {
      const record = idempotency.get(key);
      if (record && record.fingerprint !== fingerprint) {
        return fail(problem(422, 'idempotency-key-reused', 'Idempotency key reused', 'this Idempotency-Key was first used with another request body'));
      }
      if (record && !record.stored) {
        return fail(problem(409, 'idempotency-key-in-flight', 'Request in flight', 'the first request with this Idempotency-Key is still being processed'));
      }
      if (record?.stored) return { stored: record.stored, replayed: true };
      idempotency.set(key, { fingerprint });
    }
    let stored: Stored | undefined;
    try {
      if (faults.latencyMs > 0) await sleep(faults.latencyMs);
      if (faults.errorRate > 0 && Math.random() < faults.errorRate) {
        stored = problemBody(problem(503, 'unavailable', 'Service unavailable', 'injected fault (errorRate)'), requestId);
      } else if (json === undefined) {
        stored = problemBody(problem(400, 'invalid-json', 'Invalid JSON', 'the request body is not JSON'), requestId);
      } else {
        const outcome = await op(json, ctx);
        stored = outcome.ok ? jsonBody(200, { requestId, status: 'OK', result: outcome.result }) : problemBody(outcome.problem, requestId);
      }
      return { stored, replayed: false };
    } finally {
      // Only completed answers are kept; anything else frees the key so a retry does the work.
      if (key) {
        if (stored && storable(stored.status)) idempotency.set(key, { fingerprint, stored });
        else idempotency.delete(key);
      }
    }
  }

  app.post(`${API_PREFIX}*`, async (c) => {
    const path = c.req.path;
    const raw = await c.req.text();
    const json = parseJson(raw);
    const bodyId = (json as { requestId?: unknown } | undefined)?.requestId;
    const requestId = typeof bodyId === 'string' ? bodyId : (c.req.header('x-request-id') ?? null);
    const { stored, replayed } = await answer(path.slice(API_PREFIX.length), raw, json, requestId, (n) => c.req.header(n));
    calls.push({
      time: new Date().toISOString(), path, pid: c.req.header('pid') ?? null, requestId,
      idempotencyKey: c.req.header('idempotency-key') ?? null, status: stored.status, replayed,
    });
    if (calls.length > MAX_CALLS) calls = calls.slice(-MAX_CALLS);
    return toResponse(stored, replayed);
  });

  app.get('/_sandbox/faults', (c) => c.json(faults));
  app.post('/_sandbox/faults', async (c) => {
    const body = v.safeParse(FaultsBody, parseJson(await c.req.text()));
    if (!body.success) return toResponse(problemBody(invalidFields(body.issues), null));
    faults = { latencyMs: body.output.latencyMs ?? 0, errorRate: body.output.errorRate ?? 0 };
    return c.json(faults);
  });
  app.get('/_sandbox/calls', (c) => c.json(calls));
  app.delete('/_sandbox/calls', (c) => { calls = []; return c.body(null, 204); });
  return app;
}

export function startGsbSandbox(options: GsbSandboxOptions): Promise<RunningServer> {
  return listen(createGsbSandbox(options), options.port ?? 0, options.host ?? '127.0.0.1');
}
