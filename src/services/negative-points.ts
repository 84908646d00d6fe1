/**
 * نمره منفی گواهینامه: the negative points on a driving licence of the bound citizen. The citizen
 * types the licence number; the bus answers only when it is theirs.
 *
 * Upstream body: `{nationalCode, mobile, licenseNumber}`.
 */
import * as v from 'valibot';
import { toPersianDigits } from '../i18n/digits.ts';
import { faServices } from '../i18n/fa-services.ts';
import { licenceNumber } from '../validation/licence.ts';
import type { PersonalService } from './types.ts';

const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

const NegativePoints = v.object({
  licenseNumber: v.string(),
  negativeScore: count,
  offenseCount: count,
  /** The rule that applies at this score, in the bus's words (e.g. what happens at 30 points). */
  rule: v.nullish(v.string(), ''),
});

type NegativePoints = v.InferOutput<typeof NegativePoints>;

function render(points: NegativePoints): string {
  const t = faServices.negativePoints;
  return [
    `🪪 ${t.heading}`,
    `${faServices.document.number} ${toPersianDigits(points.licenseNumber)}`,
    `${t.score} ${toPersianDigits(points.negativeScore)}`,
    `${t.offenses} ${toPersianDigits(points.offenseCount)}`,
    points.rule,
  ]
    .filter(Boolean)
    .join('\n');
}

export const negativePointsService: PersonalService<NegativePoints> = {
  id: 'negative-points',
  title: faServices.negativePoints.title,
  phrases: faServices.negativePoints.phrases,
  category: faServices.negativePoints.category,
  identity: true,
  inputs: [
    {
      name: 'licenseNumber',
      prompt: faServices.negativePoints.prompt,
      help: faServices.negativePoints.help,
      schema: licenceNumber,
    },
  ],
  upstream: {
    provider: 'gsb',
    operation: 'naja/license/negativeScore',
    pid: 'pishkhan-negative-points-v1',
    body: (answers, identity) => ({
      nationalCode: identity.nationalCode,
      mobile: identity.mobile,
      licenseNumber: answers.licenseNumber ?? '',
    }),
    subject: (body) => body.nationalCode,
    result: NegativePoints,
  },
  render,
  notFound: faServices.negativePoints.notFound,
};
