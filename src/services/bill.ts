/**
 * استعلام قبض: what a water, electricity, gas, landline or mobile bill asks to be paid. The bill
 * id's type digit says which kind it is, so the citizen types the bill id alone; a bill id of
 * another kind (municipality, tax, traffic fines) is refused with the reason, and asked again.
 *
 * Upstream body: `{billType, billId}`, where billType is the English code of the type digit
 * (`water`, `electricity`, `gas`, `landline`, `mobile`: BILL_TYPES in validation/bill.ts).
 */
import * as v from 'valibot';
import { toPersianDigits } from '../i18n/digits.ts';
import { faServices } from '../i18n/fa-services.ts';
import { formatTomans } from '../i18n/money.ts';
import { billCharges, billId, billTypeOf, utilityBillId } from '../validation/bill.ts';
import { jalaliDate } from '../validation/jalali.ts';
import type { PublicService } from './types.ts';

const BillResult = v.pipe(
  v.object({
    /** Rials. */
    amount: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
    billId,
    paymentId: v.pipe(v.string(), v.regex(/^\d+$/)),
    /** Jalali `yyyy/mm/dd`. */
    dueDate: jalaliDate,
  }),
  // The bank charges what the payment id carries: an answer whose ids or amount disagree is not shown.
  v.check((bill) => billCharges({ ...bill, amountRials: bill.amount })),
);

type BillResult = v.InferOutput<typeof BillResult>;

function render(bill: BillResult): string {
  const t = faServices.bill;
  const type = billTypeOf(bill.billId);
  return [
    `🧾 ${t.heading}${type ? ` ${t.types[type]}` : ''}`,
    `${t.amount} ${formatTomans(bill.amount)}`,
    `${t.dueDate} ${toPersianDigits(bill.dueDate)}`,
    '',
    t.billId,
    bill.billId,
    t.paymentId,
    bill.paymentId,
    '',
    t.howToPay,
  ].join('\n');
}

export const billService: PublicService<BillResult> = {
  id: 'bill',
  title: faServices.bill.title,
  phrases: faServices.bill.phrases,
  category: faServices.bill.category,
  identity: false,
  inputs: [
    {
      name: 'billId',
      prompt: faServices.bill.prompt,
      help: faServices.bill.help,
      schema: utilityBillId,
      // A shorter bill id could as well be any other number.
      standsAlone: (id) => id.length === 13,
    },
  ],
  upstream: {
    provider: 'gsb',
    operation: 'billing/utility/billInquiry',
    pid: 'pishkhan-bill-v1',
    body: (answers) => {
      const id = answers.billId ?? '';
      return { billType: billTypeOf(id) ?? '', billId: id };
    },
    subject: (body) => body.billId,
    result: BillResult,
  },
  render,
  notFound: faServices.bill.notFound,
};
