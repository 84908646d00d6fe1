/**
 * The municipality sandbox's records: the unpaid annual tolls of a plate, derived from the national
 * code and the plate, so the same pair always owes the same years. Each year carries a municipality
 * bill id (type digit 6) and a payment id that carries its amount (docs/bus.md#bill-id-and-payment-id).
 */
import { billCheckDigit, buildPaymentId } from '../../../src/validation/bill.ts';
import { seededRandom } from '../gsb/data.ts';

/** Inputs that take the unhappy paths, for any national code but `noRecord`. */
export const MAGIC_TOLL = {
  /** ۹۹ ی ۹۹۹ ایران ۹۹: no debt (200 with no year), as it has no fines on the bus. */
  debtFreePlate: '993299999',
  /** ۸۸ ی ۸۸۸ ایران ۸۸: the municipality fails (500, not stored: a retry does the work again). */
  failingPlate: '883288888',
  /** A national code the municipality has no file for: 404, whatever the plate. */
  noRecord: '1583250689',
} as const;

const YEARS = [1401, 1402, 1403, 1404];

export function tollFor(nationalCode: string, plateNumber: string) {
  const rand = seededRandom(`toll:${nationalCode}:${plateNumber}`);
  const count = 1 + Math.floor(rand() * 3);
  const years = YEARS.slice(-count).map((year) => {
    const head = `${String(1 + Math.floor(rand() * 9))}${String(Math.floor(rand() * 1e9)).padStart(9, '0')}6`;
    const billId = `${head}${billCheckDigit(head)}`;
    const amountRials = (40 + Math.floor(rand() * 360)) * 10_000;
    return { year, amountRials, billId, paymentId: buildPaymentId(billId, amountRials, `${year % 10}01`) };
  });
  return { years };
}
