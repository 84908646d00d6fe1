/**
 * پلاک‌های فعال: the plates registered to the bound citizen, those in use and those revoked (فک
 * پلاک), one block each. No questions: the body is the bound national code and mobile.
 *
 * `text` is read as the plate as the bus writes it: shown only when `plateNumber` is not a car
 * plate's nine digits (a motorcycle's, say), since the nine digits give the one readable form.
 */
import * as v from 'valibot';
import { toPersianDigits } from '../i18n/digits.ts';
import { faServices } from '../i18n/fa-services.ts';
import { jalaliDate } from '../validation/jalali.ts';
import { isolatePlate, readablePlate } from '../validation/plate.ts';
import type { PersonalService } from './types.ts';

const Plates = v.object({
  plates: v.array(
    v.object({
      plateNumber: v.string(),
      text: v.nullish(v.string(), ''),
      serial: v.nullish(v.string(), ''),
      revoked: v.boolean(),
      revokedAt: v.nullish(jalaliDate),
      revokedReason: v.nullish(v.string(), ''),
    }),
  ),
});

type Plates = v.InferOutput<typeof Plates>;
type Plate = Plates['plates'][number];

function plateBlock(plate: Plate, index: number): string {
  const t = faServices.activePlates;
  const shown = isolatePlate(readablePlate(plate.plateNumber) ?? toPersianDigits(plate.text || plate.plateNumber));
  const state = plate.revoked
    ? [t.revoked, plate.revokedAt && `${faServices.document.on} ${toPersianDigits(plate.revokedAt)}`]
    : [t.active];
  return [
    `${toPersianDigits(index + 1)}. ${shown}: ${state.filter(Boolean).join(' ')}`,
    plate.serial && `${t.serial} ${toPersianDigits(plate.serial)}`,
    plate.revoked && plate.revokedReason && `${t.reason} ${plate.revokedReason}`,
  ]
    .filter(Boolean)
    .join('\n');
}

function render({ plates }: Plates): string {
  const t = faServices.activePlates;
  if (plates.length === 0) return t.notFound;
  return [`🚗 ${t.heading}`, ...plates.map(plateBlock)].join('\n\n');
}

export const activePlatesService: PersonalService<Plates> = {
  id: 'active-plates',
  title: faServices.activePlates.title,
  phrases: faServices.activePlates.phrases,
  category: faServices.activePlates.category,
  identity: true,
  inputs: [],
  upstream: {
    provider: 'gsb',
    operation: 'naja/vehicle/activePlates',
    pid: 'pishkhan-active-plates-v1',
    body: (_answers, identity) => ({ nationalCode: identity.nationalCode, mobile: identity.mobile }),
    subject: (body) => body.nationalCode,
    result: Plates,
  },
  render,
  notFound: faServices.activePlates.notFound,
};
