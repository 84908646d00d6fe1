/**
 * استعلام وضعیت حیات: whether the civil registry (ثبت احوال) records the bound citizen as alive,
 * with a tracking code to quote to a pension fund or a bank. The citizen types their birth date,
 * which the registry matches with the national code.
 *
 * Upstream body: `{nationalCode, birthDate}`, the date `yyyy/mm/dd` in Latin digits.
 */
import * as v from 'valibot';
import { toPersianDigits } from '../i18n/digits.ts';
import { faServices } from '../i18n/fa-services.ts';
import { pastJalaliDate } from '../validation/jalali.ts';
import type { PersonalService } from './types.ts';

const LifeStatus = v.object({
  alive: v.boolean(),
  trackingCode: v.nullish(v.string(), ''),
});

type LifeStatus = v.InferOutput<typeof LifeStatus>;

function render(status: LifeStatus, answers: Readonly<Record<string, string>>): string {
  const t = faServices.lifeStatus;
  return [
    `🪪 ${t.heading}`,
    `${t.birthDate} ${toPersianDigits(answers.birthDate ?? '')}`,
    status.alive ? t.alive : t.deceased,
    status.trackingCode && `${t.trackingCode}\n${status.trackingCode}`,
  ]
    .filter(Boolean)
    .join('\n');
}

export const lifeStatusService: PersonalService<LifeStatus> = {
  id: 'life-status',
  title: faServices.lifeStatus.title,
  phrases: faServices.lifeStatus.phrases,
  category: faServices.lifeStatus.category,
  identity: true,
  inputs: [
    {
      name: 'birthDate',
      prompt: faServices.lifeStatus.prompt,
      help: faServices.lifeStatus.help,
      // A birth date cannot be after today, and "today" is the day of the message.
      schema: pastJalaliDate,
    },
  ],
  upstream: {
    provider: 'gsb',
    operation: 'sabt/ahval/lifeStatus',
    pid: 'pishkhan-life-status-v1',
    body: (answers, identity) => ({ nationalCode: identity.nationalCode, birthDate: answers.birthDate ?? '' }),
    subject: (body) => body.nationalCode,
    result: LifeStatus,
  },
  render,
  notFound: faServices.lifeStatus.notFound,
};
