/**
 * The GSB sandbox's personal records (military status, fines, negative points, licences, plates,
 * passport, life status), derived deterministically from the inputs: the same national code
 * always gets the same fines, licences, plates and passport, all dated before the sandbox's today.
 */
import { billCheckDigit, buildPaymentId } from '../../../src/validation/bill.ts';
import { formatJalali, toJalali } from '../../../src/validation/jalali.ts';
import { readablePlate } from '../../../src/validation/plate.ts';
import { GEO, SANDBOX_TODAY, STREETS, seededRandom } from './data.ts';

const MILITARY_STATUSES = [
  { type: 'ORDINARY', condition: 'ALLOWED', description: 'کارت پایان خدمت صادر شده است.' },
  {
    type: 'ORDINARY',
    condition: 'NOT_ALLOWED',
    description: 'مشمول غایب؛ برای تعیین وضعیت به دفاتر پلیس +۱۰ مراجعه کنید.',
  },
  { type: 'EXCEPTION', condition: 'ALLOWED', description: 'معافیت تحصیلی تا پایان سال تحصیلی جاری.' },
  { type: 'EXCEPTION', condition: 'ALLOWED', description: 'کارت معافیت دائم صادر شده است.' },
] as const;

/** The same national code always draws the same military service status. */
export function militaryStatusFor(nationalCode: string) {
  const rand = seededRandom(`military:${nationalCode}`);
  return MILITARY_STATUSES[Math.floor(rand() * MILITARY_STATUSES.length)];
}

/** The Jalali date `days` after (or, negative, before) the sandbox's today. */
function jalaliFromToday(days: number) {
  const date = new Date(Date.UTC(SANDBOX_TODAY.year, SANDBOX_TODAY.month - 1, SANDBOX_TODAY.day + days));
  return toJalali({ year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() });
}

const latinJalaliFromToday = (days: number) => formatJalali(jalaliFromToday(days), 'latin');

/** `n` random digits, the first not zero. */
function digits(rand: () => number, n: number): string {
  let out = String(1 + Math.floor(rand() * 9));
  while (out.length < n) out += String(Math.floor(rand() * 10));
  return out;
}

/** Offences with their fine in rials, and whether a camera or an officer records them. */
const OFFENCES = [
  { description: 'عبور از چراغ قرمز', amount: 10_000_000, camera: true },
  { description: 'تجاوز از سرعت مجاز (تا ۳۰ کیلومتر در ساعت)', amount: 2_000_000, camera: true },
  { description: 'تجاوز از سرعت مجاز (بیش از ۳۰ تا ۵۰ کیلومتر در ساعت)', amount: 6_000_000, camera: true },
  { description: 'ورود به محدوده طرح ترافیک بدون مجوز', amount: 3_500_000, camera: true },
  { description: 'استفاده از تلفن همراه هنگام رانندگی', amount: 2_000_000, camera: false },
  { description: 'نبستن کمربند ایمنی', amount: 1_000_000, camera: false },
  { description: 'توقف در محل ممنوع', amount: 1_000_000, camera: false },
  { description: 'سبقت غیرمجاز', amount: 4_000_000, camera: false },
  { description: 'عدم رعایت حق تقدم عبور', amount: 2_000_000, camera: false },
] as const;

/**
 * The unpaid fines of a plate: the same national code and plate always get the same 1 to 5 fines,
 * newest first. Most are payable, with a traffic-fine bill id (type digit 9) and a payment id the
 * client's own check accepts; the others are not payable yet and carry no ids. `recorded` fines
 * recorded since (POST /_sandbox/fines) come first, dated today, with ids of their own.
 */
export function trafficFinesFor(nationalCode: string, plateNumber: string, recorded = 0) {
  return finesAnswer([...recordedFines(plateNumber, recorded), ...drawFines(`fines:${nationalCode}:${plateNumber}`)]);
}

/** Only the fines recorded since: a plate that had none has these. */
export function recordedFinesFor(plateNumber: string, recorded: number) {
  return finesAnswer(recordedFines(plateNumber, recorded));
}

function recordedFines(plateNumber: string, recorded: number) {
  return Array.from({ length: recorded }, (_, i) => drawFines(`fines:new:${plateNumber}:${i}`, 1, 0))
    .flat()
    .reverse();
}

function finesAnswer<T extends { amount: number }>(fines: T[]) {
  return { totalAmount: fines.reduce((sum, fine) => sum + fine.amount, 0), fines };
}

/** `count` fines (1 to 5 when not given) drawn from `seed`, up to `maxDaysAgo` days old, newest first. */
function drawFines(seed: string, count?: number, maxDaysAgo = 540) {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const n = count ?? 1 + Math.floor(rand() * 5);
  return Array.from({ length: n }, () => {
    const offence = pick(OFFENCES);
    const daysAgo = Math.floor(rand() * maxDaysAgo);
    const when = jalaliFromToday(-daysAgo);
    const time = `${String(6 + Math.floor(rand() * 17)).padStart(2, '0')}:${String(Math.floor(rand() * 60)).padStart(2, '0')}`;
    const geo = pick(GEO);
    const payable = rand() < 0.85;
    const head = `${digits(rand, 10)}9`;
    const billId = `${head}${billCheckDigit(head)}`;
    const period = `${when.year % 10}${String(when.month).padStart(2, '0')}`;
    return {
      daysAgo,
      fine: {
        id: digits(rand, 12),
        type: offence.camera ? 'دوربین' : 'پلیس راهور',
        description: offence.description,
        city: pick(geo.townships).name,
        location: `${pick(['خیابان', 'بلوار', 'میدان', 'بزرگراه'])} ${pick(STREETS)}`,
        dateTime: `${formatJalali(when, 'latin')} ${time}`,
        amount: offence.amount,
        billId: payable ? billId : null,
        paymentId: payable ? buildPaymentId(billId, offence.amount, period) : null,
        payable,
      },
    };
  })
    .sort((a, b) => a.daysAgo - b.daysAgo)
    .map(({ fine }) => fine);
}

/** Points of the offences a licence collects them for. */
const OFFENCE_POINTS = [2, 3, 3, 4, 5, 6, 8] as const;

/** The negative points of a licence: the same national code and licence always get the same. */
export function negativePointsFor(nationalCode: string, licenseNumber: string) {
  const rand = seededRandom(`points:${nationalCode}:${licenseNumber}`);
  const offenseCount = Math.floor(rand() * 6);
  let negativeScore = 0;
  for (let i = 0; i < offenseCount; i++) negativeScore += OFFENCE_POINTS[Math.floor(rand() * OFFENCE_POINTS.length)]!;
  return {
    licenseNumber,
    negativeScore: Math.min(negativeScore, 30),
    offenseCount,
    rule: 'با رسیدن نمره منفی به ۳۰، گواهینامه سه ماه توقیف می‌شود.',
  };
}

/** A document issued `yearsAgo` years (and some days) ago, valid for `validYears`. */
function issued(rand: () => number, yearsAgo: number, validYears: number) {
  const daysAgo = Math.floor(yearsAgo * 365 + rand() * 365);
  const validUntil = latinJalaliFromToday(validYears * 365 - daysAgo);
  return { issueDate: latinJalaliFromToday(-daysAgo), validUntil, expired: validYears * 365 < daysAgo };
}

const LICENCE_TYPES = ['پایه سوم', 'پایه دوم', 'پایه یکم', 'موتورسیکلت'] as const;

/** The driving licences of a national code: one or two, the same ones every time. */
export function licensesFor(nationalCode: string) {
  const rand = seededRandom(`licences:${nationalCode}`);
  const count = 1 + Math.floor(rand() * 2);
  const licenses = Array.from({ length: count }, () => {
    const { issueDate, validUntil, expired } = issued(rand, Math.floor(rand() * 14), 10);
    const held = rand() < 0.1;
    return {
      number: digits(rand, 10),
      type: LICENCE_TYPES[Math.floor(rand() * LICENCE_TYPES.length)]!,
      status: held ? 'ضبط موقت' : expired ? 'منقضی' : 'معتبر',
      issueDate,
      validUntil,
    };
  });
  return { licenses };
}

/** Letter codes of the plates in common use (ب to ی, as in validation/plate.ts). */
const PLATE_LETTER_CODES = [
  '02',
  '03',
  '04',
  '06',
  '08',
  '10',
  '12',
  '15',
  '16',
  '24',
  '25',
  '27',
  '28',
  '29',
  '30',
  '31',
  '32',
];
const REVOKE_REASONS = ['فروش خودرو', 'اسقاط خودرو', 'تعویض پلاک'] as const;

/** The plates registered to a national code: one to three, some revoked, the same ones every time. */
export function platesFor(nationalCode: string) {
  const rand = seededRandom(`plates:${nationalCode}`);
  const count = 1 + Math.floor(rand() * 3);
  const plates = Array.from({ length: count }, () => {
    const letter = PLATE_LETTER_CODES[Math.floor(rand() * PLATE_LETTER_CODES.length)]!;
    const plateNumber = `${11 + Math.floor(rand() * 89)}${letter}${111 + Math.floor(rand() * 889)}${10 + Math.floor(rand() * 90)}`;
    const revoked = rand() < 0.3;
    return {
      plateNumber,
      text: readablePlate(plateNumber),
      serial: digits(rand, 8),
      revoked,
      revokedAt: revoked ? latinJalaliFromToday(-Math.floor(rand() * 2000)) : null,
      revokedReason: revoked ? REVOKE_REASONS[Math.floor(rand() * REVOKE_REASONS.length)]! : null,
    };
  });
  return { plates };
}

/** The passport of a national code, or that none was issued (one code in four): the same every time. */
export function passportFor(nationalCode: string) {
  const rand = seededRandom(`passport:${nationalCode}`);
  if (rand() < 0.25) {
    return { hasPassport: false, passportNumber: null, issueDate: null, validUntil: null, status: null };
  }
  const { issueDate, validUntil, expired } = issued(rand, Math.floor(rand() * 8), 5);
  return {
    hasPassport: true,
    passportNumber: `${'ABEHKPRS'[Math.floor(rand() * 8)]}${digits(rand, 8)}`,
    issueDate,
    validUntil,
    status: expired ? 'منقضی' : 'معتبر',
  };
}

/** The registry's answer for a national code and birth date: alive, with a tracking code of its own. */
export function lifeStatusFor(nationalCode: string, birthDate: string) {
  const rand = seededRandom(`life:${nationalCode}:${birthDate}`);
  return { alive: true, trackingCode: digits(rand, 12) };
}
