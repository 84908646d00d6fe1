/**
 * وضعیت گواهینامه: every driving licence of the bound citizen, one block each. No questions: the
 * body is the bound national code and mobile.
 */
import * as v from 'valibot';
import { toPersianDigits } from '../i18n/digits.ts';
import { faServices } from '../i18n/fa-services.ts';
import { jalaliDate } from '../validation/jalali.ts';
import type { PersonalService } from './types.ts';

const Licenses = v.object({
  licenses: v.array(
    v.object({
      number: v.string(),
      /** The class, in the bus's words (پایه یکم, پایه دوم, موتورسیکلت…). */
      type: v.string(),
      /** In the bus's words (معتبر, منقضی, ضبط موقت…). */
      status: v.string(),
      issueDate: jalaliDate,
      validUntil: jalaliDate,
    }),
  ),
});

type Licenses = v.InferOutput<typeof Licenses>;

function render({ licenses }: Licenses): string {
  const t = faServices.licenseStatus;
  const d = faServices.document;
  if (licenses.length === 0) return t.notFound;
  const blocks = licenses.map((licence, i) =>
    [
      `${toPersianDigits(i + 1)}. ${licence.type}`,
      `${d.number} ${toPersianDigits(licence.number)}`,
      `${d.status} ${licence.status}`,
      `${d.issued} ${toPersianDigits(licence.issueDate)}`,
      `${d.validUntil} ${toPersianDigits(licence.validUntil)}`,
    ].join('\n'),
  );
  return [`🪪 ${t.heading}`, ...blocks].join('\n\n');
}

export const licenseStatusService: PersonalService<Licenses> = {
  id: 'license-status',
  title: faServices.licenseStatus.title,
  phrases: faServices.licenseStatus.phrases,
  category: faServices.licenseStatus.category,
  identity: true,
  inputs: [],
  upstream: {
    provider: 'gsb',
    operation: 'naja/license/licenseStatus',
    pid: 'pishkhan-license-status-v1',
    body: (_answers, identity) => ({ nationalCode: identity.nationalCode, mobile: identity.mobile }),
    subject: (body) => body.nationalCode,
    result: Licenses,
  },
  render,
  notFound: faServices.licenseStatus.notFound,
};
