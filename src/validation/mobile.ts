/**
 * Iranian mobile numbers (docs/bus.md#mobile): with or without +98, 0098, 98 or 0 in front, a
 * ten-digit number starting with a known operator prefix; out in the canonical form 09xxxxxxxxx.
 */
import * as v from 'valibot';
import { faValidation } from '../i18n/fa-validation.ts';
import { normaliseIdentifier } from './normalise.ts';

/**
 * The prefixes (9XY, the first three digits of the ten-digit number) each operator holds. The one
 * list to update when the regulator assigns a new prefix.
 */
export const MOBILE_OPERATOR_PREFIXES: Readonly<Record<string, readonly string[]>> = {
  MCI: [
    ...['910', '911', '912', '913', '914', '915', '916', '917', '918', '919'],
    ...['990', '991', '992', '993', '994', '995', '996'],
  ],
  Irancell: ['900', '901', '902', '903', '904', '905', '930', '933', '935', '936', '937', '938', '939', '941'],
  RighTel: ['920', '921', '922', '923'],
  Taliya: ['932'],
  Shatel: ['998'],
  Aptel: ['999'],
};

const KNOWN_PREFIXES = new Set(Object.values(MOBILE_OPERATOR_PREFIXES).flat());

/** An optional country or trunk prefix, then the ten-digit number starting with 9. */
const MOBILE_FORM = /^(?:\+98|0098|98|0)?(9\d{9})$/;

/** The ten-digit number (9XXXXXXXXX) of a normalised mobile, or '' when it has another form. */
const tenDigits = (mobile: string) => MOBILE_FORM.exec(mobile)?.[1] ?? '';

/** A typed mobile number in, `09xxxxxxxxx` out; a Persian reason when it is wrong. */
export const mobile = v.pipe(
  v.string(),
  v.transform(normaliseIdentifier),
  v.regex(/^\+?\d+$/, faValidation.mobileDigits),
  v.regex(MOBILE_FORM, faValidation.mobileForm),
  v.check((number) => KNOWN_PREFIXES.has(tenDigits(number).slice(0, 3)), faValidation.mobileOperator),
  v.transform((number) => `0${tenDigits(number)}`),
);
