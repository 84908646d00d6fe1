/**
 * عوارض سالیانه خودرو: Tehran municipality's annual vehicle toll of a car plate, asked about the
 * bound citizen on the municipality's own API (docs/providers.md#the-municipality).
 *
 * Body: `{nationalCode, mobile, plateNumber}`, the plate in its nine-digit form (validation/plate.ts).
 * The answer: the total, then one block per unpaid year with its bill and payment ids, each on a line
 * of its own in Latin digits, to be copied; no year is no debt. A plate typed alone at the menu opens
 * the traffic fines, not this.
 */
import * as v from 'valibot';
import { toPersianDigits } from '../i18n/digits.ts';
import { faServices } from '../i18n/fa-services.ts';
import { formatTomans } from '../i18n/money.ts';
import { billCharges } from '../validation/bill.ts';
import { isolatePlate, plate, readablePlate } from '../validation/plate.ts';
import type { PersonalService } from './types.ts';

const Year = v.pipe(
  v.object({
    year: v.pipe(v.number(), v.integer(), v.minValue(1300), v.maxValue(1500)),
    amountRials: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
    billId: v.string(),
    paymentId: v.string(),
  }),
  // The bank charges what the payment id carries: a year whose ids or amount disagree is no answer.
  v.check((year) => billCharges(year, 'municipality')),
);

const Toll = v.object({ years: v.array(Year) });

type Toll = v.InferOutput<typeof Toll>;

function render({ years }: Toll, answers: Readonly<Record<string, string>>): string {
  const t = faServices.vehicleToll;
  if (years.length === 0) return t.noDebt;
  const bill = faServices.bill;
  const readable = readablePlate(answers.plate ?? '');
  const total = years.reduce((sum, year) => sum + year.amountRials, 0);
  const blocks = years.map((year) =>
    [
      `${t.year} ${toPersianDigits(year.year)}: ${formatTomans(year.amountRials)}`,
      bill.billId,
      year.billId,
      bill.paymentId,
      year.paymentId,
    ].join('\n'),
  );
  const head = `🏙 ${t.title}${readable ? ` ${isolatePlate(readable)}` : ''}\n${t.total} ${formatTomans(total)}`;
  return [head, ...blocks, bill.howToPay].join('\n\n');
}

export const vehicleTollService: PersonalService<Toll> = {
  id: 'vehicle-toll',
  title: faServices.vehicleToll.title,
  phrases: faServices.vehicleToll.phrases,
  category: faServices.vehicleToll.category,
  identity: true,
  inputs: [
    {
      name: 'plate',
      prompt: faServices.trafficFines.prompt,
      help: faServices.trafficFines.help,
      schema: plate,
    },
  ],
  upstream: {
    provider: 'municipality',
    operation: 'v1/vehicle-toll',
    pid: 'pishkhan-vehicle-toll-v1',
    body: (answers, identity) => ({
      nationalCode: identity.nationalCode,
      mobile: identity.mobile,
      plateNumber: answers.plate ?? '',
    }),
    subject: (body) => body.nationalCode,
    result: Toll,
  },
  render,
  notFound: faServices.vehicleToll.notFound,
};
