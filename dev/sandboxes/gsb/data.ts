/**
 * The GSB sandbox's data: realistic Persian addresses and utility bills, derived deterministically
 * from the inputs (the same postcode always gets the same address, the same bill id the same bill),
 * and what the personal records (records.ts) draw from: the seeded random, the places, the day.
 */
import { buildPaymentId, type UtilityBillType } from '../../../src/validation/bill.ts';
import { formatJalali, toGregorian, toJalali } from '../../../src/validation/jalali.ts';

// province|township:locality,locality|township:...
export const GEO = `
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
`
  .trim()
  .split('\n')
  .map((line) => {
    const [province = '', ...townships] = line.split('|');
    return {
      province,
      townships: townships.map((t) => {
        const [name = '', locs = ''] = t.split(':');
        return { name, localities: locs.split(',') };
      }),
    };
  });
export const STREETS = [
  'ولیعصر',
  'انقلاب',
  'آزادی',
  'شریعتی',
  'امام خمینی',
  'فردوسی',
  'حافظ',
  'سعدی',
  'شهید مطهری',
  'شهید بهشتی',
  'طالقانی',
  'جمهوری اسلامی',
  'مدرس',
  'شهید چمران',
  'کشاورز',
  'فاطمی',
  'پاسداران',
  'نیایش',
  'امام رضا',
  'هفده شهریور',
];
const LANES = [
  'لاله',
  'نسترن',
  'یاس',
  'اقاقیا',
  'سرو',
  'گلستان',
  'شقایق',
  'نیلوفر',
  'ارغوان',
  'مریم',
  'سوسن',
  'صنوبر',
  'نارون',
  'کاج',
  'مهر',
  'بهار',
];
const MARTYRS = ['احمدی', 'رضایی', 'کاظمی', 'محمدی', 'حسینی', 'کریمی', 'موسوی', 'جعفری', 'صادقی', 'نوری'];
const BUILDINGS = ['نگین', 'آفتاب', 'پارسیان', 'الماس', 'سپهر', 'ارکیده', 'یاقوت', 'امید', 'بهاران', 'مروارید'];

const faDigits = (n: number) => String(n).replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!);

/** FNV-1a seed into mulberry32: the same postcode always draws the same address. */
export function seededRandom(seedText: string): () => number {
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

/** The address registered for a postcode: the same postcode always draws the same one. */
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

/** Plausible amounts of each bill type, in thousands of rials. */
const BILL_AMOUNTS: Record<UtilityBillType, readonly [number, number]> = {
  water: [30, 900],
  electricity: [80, 4000],
  gas: [40, 6000],
  landline: [20, 600],
  mobile: [50, 3000],
};
/** The sandbox's "today", so the data stays the same from run to run: bills fall due 2 to 6 weeks after it. */
export const SANDBOX_TODAY = toGregorian({ year: 1405, month: 9, day: 1 });

/** The same bill id always draws the same bill, with a payment id the client's own check accepts. */
export function billFor(billId: string, billType: UtilityBillType) {
  const rand = seededRandom(`bill:${billId}`);
  const [min, max] = BILL_AMOUNTS[billType];
  const amount = (min + Math.floor(rand() * (max - min + 1))) * 1000;
  const daysAfter = 14 + Math.floor(rand() * 29);
  const due = new Date(Date.UTC(SANDBOX_TODAY.year, SANDBOX_TODAY.month - 1, SANDBOX_TODAY.day + daysAfter));
  const dueDate = toJalali({ year: due.getUTCFullYear(), month: due.getUTCMonth() + 1, day: due.getUTCDate() });
  // The payment id's period: the year's last digit and the month the bill is due in.
  const period = `${dueDate.year % 10}${String(dueDate.month).padStart(2, '0')}`;
  return { amount, billId, paymentId: buildPaymentId(billId, amount, period), dueDate: formatJalali(dueDate, 'latin') };
}
