/**
 * Bill id (شناسه قبض) and payment id (شناسه پرداخت) of Iran's unified bill scheme
 * (docs/bus.md#bill-id-and-payment-id): the mod-11 check digits, the bill type in the bill id's
 * second-to-last digit, and the amount the payment id carries. Both ids are numbers, so leading
 * zeros are dropped: the bus gets the digits as printed on a bill, from the first non-zero one.
 */
import * as v from 'valibot';
import { faValidation } from '../i18n/fa-validation.ts';
import { normaliseIdentifier } from './normalise.ts';

/** The stable English code of each bill type digit; the body field `billType` of the bill inquiry. */
export const BILL_TYPES = {
  '1': 'water',
  '2': 'electricity',
  '3': 'gas',
  '4': 'landline',
  '5': 'mobile',
  '6': 'municipality',
  '8': 'tax',
  '9': 'traffic-fines',
} as const;

export type BillType = (typeof BILL_TYPES)[keyof typeof BILL_TYPES];

/** The types a utility bill inquiry (`billing/utility/billInquiry`) answers for. */
export const UTILITY_BILL_TYPES = ['water', 'electricity', 'gas', 'landline', 'mobile'] as const;

export type UtilityBillType = (typeof UTILITY_BILL_TYPES)[number];

/** Bill and payment ids are 6 to 13 digits (the 13 + 13 digits of a bill's barcode). */
const ID_DIGITS = /^\d+$/;
const MIN_LENGTH = 6;
const MAX_LENGTH = 13;

/**
 * The scheme's check digit of a string of digits: weights 2, 3, 4, 5, 6, 7, 2, 3, … from the right,
 * `s = Σ mod 11`, then 0 when `s < 2`, else `11 − s`.
 */
export function billCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    sum += Number(digits[digits.length - 1 - i]) * (2 + (i % 6));
  }
  const s = sum % 11;
  return s < 2 ? 0 : 11 - s;
}

/** The type a bill id's second-to-last digit names, or null for a digit that names none (0, 7). */
export function billTypeOf(billId: string): BillType | null {
  const digit = billId.at(-2) ?? '';
  return digit in BILL_TYPES ? BILL_TYPES[digit as keyof typeof BILL_TYPES] : null;
}

function hasIdLength(id: string): boolean {
  return id.length >= MIN_LENGTH && id.length <= MAX_LENGTH;
}

/** Whether the last digit of a (normalised) bill id is the check digit of the others. */
export function hasBillCheckDigit(billId: string): boolean {
  return ID_DIGITS.test(billId) && billCheckDigit(billId.slice(0, -1)) === Number(billId.at(-1));
}

/** A payment id's first check digit (second-to-last digit) covers the payment id alone. */
function hasOwnCheckDigit(paymentId: string): boolean {
  return ID_DIGITS.test(paymentId) && billCheckDigit(paymentId.slice(0, -2)) === Number(paymentId.at(-2));
}

/** Its second check digit (the last) covers the bill id, the payment id and the first check digit. */
function matchesBill(billId: string, paymentId: string): boolean {
  return ID_DIGITS.test(paymentId) && billCheckDigit(billId + paymentId.slice(0, -1)) === Number(paymentId.at(-1));
}

/** Whether a (normalised) payment id is well formed and belongs to the bill id. */
export function isValidPaymentId(billId: string, paymentId: string): boolean {
  return hasIdLength(paymentId) && hasOwnCheckDigit(paymentId) && matchesBill(billId, paymentId);
}

/**
 * Whether a bill (of `type`, when named) is what the bank will charge: a bill id with its check
 * digit and type, a payment id that belongs to it, and `amountRials` what that payment id carries.
 */
export function billCharges(
  bill: { billId: string; paymentId: string; amountRials: number },
  type?: BillType,
): boolean {
  return (
    hasBillCheckDigit(bill.billId) &&
    (type === undefined || billTypeOf(bill.billId) === type) &&
    isValidPaymentId(bill.billId, bill.paymentId) &&
    paymentAmount(bill.paymentId) === bill.amountRials
  );
}

/** The amount in rials a payment id carries: all but its last five digits, in thousands of rials. */
export function paymentAmount(paymentId: string): number {
  return Number(paymentId.slice(0, -5) || '0') * 1000;
}

/**
 * The payment id of a bill for an amount: the amount in thousands of rials, the three digits of the
 * period (the year's last digit and the two-digit period number, e.g. `'509'`), then both check digits.
 * @throws RangeError when the amount is not a positive multiple of 1000 rials or the period is not 3 digits
 */
export function buildPaymentId(billId: string, amountRials: number, period: string): string {
  if (!Number.isSafeInteger(amountRials) || amountRials <= 0 || amountRials % 1000 !== 0) {
    throw new RangeError('the amount must be a positive multiple of 1000 rials');
  }
  if (!/^\d{3}$/.test(period)) throw new RangeError('the period must be three digits');
  const head = `${amountRials / 1000}${period}`;
  const first = billCheckDigit(head);
  return `${head}${first}${billCheckDigit(`${billId}${head}${first}`)}`;
}

/** Digits without the leading zeros a number may be padded with. */
const withoutLeadingZeros = (digits: string) => digits.replace(/^0+/, '');

/** A typed bill id in, its digits out (without leading zeros): right length, check digit, known type. */
export const billId = v.pipe(
  v.string(),
  v.transform(normaliseIdentifier),
  v.regex(ID_DIGITS, faValidation.billIdDigits),
  v.transform(withoutLeadingZeros),
  v.check(hasIdLength, faValidation.billIdLength),
  v.check(hasBillCheckDigit, faValidation.billIdCheckDigit),
  v.check((id) => billTypeOf(id) !== null, faValidation.billIdUnknownType),
);

const NOT_UTILITY: Readonly<Partial<Record<BillType, string>>> = {
  municipality: faValidation.billIdNotUtility.municipality,
  tax: faValidation.billIdNotUtility.tax,
  'traffic-fines': faValidation.billIdNotUtility.trafficFines,
};

const isUtility = (type: BillType | null): type is UtilityBillType =>
  (UTILITY_BILL_TYPES as readonly string[]).includes(type ?? '');

/**
 * A bill id of a water, electricity, gas, landline or mobile bill: a valid bill id of another type
 * is refused with a reason that names what its type digit says.
 */
export const utilityBillId = v.pipe(
  billId,
  v.check(
    (id) => isUtility(billTypeOf(id)),
    (issue) => {
      const type = billTypeOf(issue.input);
      return (type && NOT_UTILITY[type]) || faValidation.billIdUnknownType;
    },
  ),
);

/** A payment id for the given (valid, normalised) bill id: its digits out, both check digits checked. */
export function paymentId(forBillId: string) {
  return v.pipe(
    v.string(),
    v.transform(normaliseIdentifier),
    v.regex(ID_DIGITS, faValidation.paymentIdDigits),
    v.transform(withoutLeadingZeros),
    v.check(hasIdLength, faValidation.paymentIdLength),
    v.check(hasOwnCheckDigit, faValidation.paymentIdCheckDigit),
    v.check((id) => matchesBill(forBillId, id), faValidation.paymentIdOtherBill),
  );
}
