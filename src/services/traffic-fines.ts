/**
 * استعلام خلافی خودرو: the unpaid fines of a car plate, asked about the bound citizen (the bus
 * answers only for plates of the citizen whose national code and mobile it gets).
 *
 * Upstream body: `{nationalCode, mobile, plateNumber}`, the plate in its nine-digit form
 * (validation/plate.ts). The answer: the total first, then one block per fine; a payable fine
 * carries its bill and payment ids, each on a line of its own in Latin digits, to be copied.
 */
import * as v from 'valibot';
import { toPersianDigits } from '../i18n/digits.ts';
import { faNotices } from '../i18n/fa-notices.ts';
import { faServices } from '../i18n/fa-services.ts';
import { formatTomans } from '../i18n/money.ts';
import { billCharges } from '../validation/bill.ts';
import { jalaliDate } from '../validation/jalali.ts';
import { isolatePlate, plate, readablePlate } from '../validation/plate.ts';
import type { PersonalService } from './types.ts';

const rials = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
/** `yyyy/mm/dd hh:mm`, the date Jalali. */
const DATE_TIME = /^(\S+) (\d{1,2}:\d{2})$/;
const jalaliDateTime = v.pipe(
  v.string(),
  v.check((text) => v.is(jalaliDate, DATE_TIME.exec(text)?.[1])),
);
/** A fine that cannot be paid yet may come without ids. */
const optionalId = v.nullish(v.string(), '');

const Fine = v.pipe(
  v.object({
    id: v.union([v.string(), v.number()]),
    type: v.string(),
    description: v.string(),
    city: v.nullish(v.string(), ''),
    location: v.nullish(v.string(), ''),
    dateTime: jalaliDateTime,
    amount: rials,
    billId: optionalId,
    paymentId: optionalId,
    payable: v.boolean(),
  }),
  // The bank charges what the payment id carries: a payable fine whose ids or amount disagree is not shown.
  v.check((fine) => !fine.payable || billCharges({ ...fine, amountRials: fine.amount }, 'traffic-fines')),
);

const Fines = v.object({ totalAmount: rials, fines: v.array(Fine) });

type Fines = v.InferOutput<typeof Fines>;
type Fine = v.InferOutput<typeof Fine>;

function fineBlock(fine: Fine, index: number): string {
  const t = faServices.trafficFines;
  const [, date = '', time = ''] = DATE_TIME.exec(fine.dateTime) ?? [];
  const where = [`${toPersianDigits(date)} ${t.at} ${toPersianDigits(time)}`, fine.city, fine.location];
  const ids = fine.payable
    ? [faServices.bill.billId, fine.billId, faServices.bill.paymentId, fine.paymentId]
    : [t.notPayable];
  return [
    `${toPersianDigits(index + 1)}. ${fine.description}`,
    where.filter(Boolean).join('، '),
    `${t.type} ${fine.type}`,
    `${t.amount} ${formatTomans(fine.amount)}`,
    ...ids,
  ].join('\n');
}

function render(result: Fines, answers: Readonly<Record<string, string>>): string {
  const t = faServices.trafficFines;
  if (result.fines.length === 0) return t.notFound;
  const readable = readablePlate(answers.plate ?? '');
  const total = `${t.total} ${formatTomans(result.totalAmount)} (${toPersianDigits(result.fines.length)} ${t.count})`;
  const blocks = result.fines.map(fineBlock);
  const howToPay = result.fines.some((fine) => fine.payable) ? [faServices.bill.howToPay] : [];
  return [
    [`🚦 ${t.heading}${readable ? ` ${isolatePlate(readable)}` : ''}`, total].join('\n'),
    ...blocks,
    ...howToPay,
  ].join('\n\n');
}

export const trafficFinesService: PersonalService<Fines> = {
  id: 'traffic-fines',
  title: faServices.trafficFines.title,
  phrases: faServices.trafficFines.phrases,
  category: faServices.trafficFines.category,
  identity: true,
  inputs: [
    {
      name: 'plate',
      prompt: faServices.trafficFines.prompt,
      help: faServices.trafficFines.help,
      schema: plate,
      standsAlone: () => true,
    },
  ],
  upstream: {
    provider: 'gsb',
    operation: 'naja/traffic/drivingOffense',
    pid: 'pishkhan-traffic-fines-v1',
    body: (answers, identity) => ({
      nationalCode: identity.nationalCode,
      mobile: identity.mobile,
      plateNumber: answers.plate ?? '',
    }),
    subject: (body) => body.nationalCode,
    result: Fines,
  },
  render,
  notFound: faServices.trafficFines.notFound,
  watch: {
    ids: (result) => result.fines.map((fine) => String(fine.id)),
    what: (answers) => faNotices.trafficFines.what(plateIn(answers)),
    news: (count, answers) => faNotices.trafficFines.news(count, plateIn(answers)),
  },
};

/** The answers' plate as a citizen reads it, made to read left to right in a Persian sentence. */
function plateIn(answers: Readonly<Record<string, string>>): string {
  return isolatePlate(readablePlate(answers.plate ?? '') ?? '');
}
