/**
 * وضعیت گذرنامه: the passport of the bound citizen, or that none was issued. No questions: the
 * body is the bound national code and mobile. The passport number goes on a line of its own, in
 * Latin letters and digits, as it is printed and typed into forms.
 */
import * as v from 'valibot';
import { toPersianDigits } from '../i18n/digits.ts';
import { faServices } from '../i18n/fa-services.ts';
import { jalaliDate } from '../validation/jalali.ts';
import type { PersonalService } from './types.ts';

const Passport = v.object({
  hasPassport: v.boolean(),
  passportNumber: v.nullish(v.string(), ''),
  issueDate: v.nullish(jalaliDate),
  validUntil: v.nullish(jalaliDate),
  /** In the bus's words (معتبر, منقضی, در حال صدور…). */
  status: v.nullish(v.string(), ''),
});

type Passport = v.InferOutput<typeof Passport>;

function render(passport: Passport): string {
  const t = faServices.passport;
  const d = faServices.document;
  if (!passport.hasPassport) return `🛂 ${t.none}`;
  return [
    `🛂 ${t.heading}`,
    passport.status && `${d.status} ${passport.status}`,
    passport.issueDate && `${d.issued} ${toPersianDigits(passport.issueDate)}`,
    passport.validUntil && `${d.validUntil} ${toPersianDigits(passport.validUntil)}`,
    passport.passportNumber && `${t.number}\n${passport.passportNumber}`,
  ]
    .filter(Boolean)
    .join('\n');
}

export const passportService: PersonalService<Passport> = {
  id: 'passport',
  title: faServices.passport.title,
  phrases: faServices.passport.phrases,
  category: faServices.passport.category,
  identity: true,
  inputs: [],
  upstream: {
    provider: 'gsb',
    operation: 'police/passport/passportStatus',
    pid: 'pishkhan-passport-v1',
    body: (_answers, identity) => ({ nationalCode: identity.nationalCode, mobile: identity.mobile }),
    subject: (body) => body.nationalCode,
    result: Passport,
  },
  render,
  notFound: faServices.passport.notFound,
};
