/**
 * وضعیت نظام وظیفه: the military service status of the bound citizen. A personal service with no
 * questions: the body is the bound national code alone.
 */
import * as v from 'valibot';
import { faServices } from '../i18n/fa-services.ts';
import type { PersonalService } from './types.ts';

const MilitaryStatus = v.object({
  type: v.picklist(['ORDINARY', 'EXCEPTION']),
  condition: v.picklist(['ALLOWED', 'NOT_ALLOWED']),
  description: v.optional(v.nullable(v.string()), ''),
});

type MilitaryStatus = v.InferOutput<typeof MilitaryStatus>;

function render(status: MilitaryStatus): string {
  const t = faServices.military;
  return [
    `🎖 ${t.heading}`,
    `${t.type} ${t.types[status.type]}`,
    `${t.condition} ${t.conditions[status.condition]}`,
    status.description ?? '',
  ]
    .filter(Boolean)
    .join('\n');
}

export const militaryService: PersonalService<MilitaryStatus> = {
  id: 'military',
  title: faServices.military.title,
  phrases: faServices.military.phrases,
  category: faServices.military.category,
  identity: true,
  inputs: [],
  upstream: {
    provider: 'gsb',
    operation: 'nezam/service/militaryStatus',
    pid: 'pishkhan-military-v1',
    body: (_answers, identity) => ({ nationalCode: identity.nationalCode }),
    subject: (body) => body.nationalCode,
    result: MilitaryStatus,
  },
  render,
  notFound: faServices.military.notFound,
};
