/** Iran Post's ten-digit postcode (docs/bus.md#postcode): the GNAF pattern, after normalisation. */
import * as v from 'valibot';
import { faValidation } from '../i18n/fa-validation.ts';
import { normaliseIdentifier } from './normalise.ts';

/** No 0 or 2 in the first four digits, no 0, 2 or 5 in the fifth, no 0 in the sixth, never 0000 last. */
const POSTCODE_RULE = /^(?![02])(?!\d{1}[02])(?!\d{2}[02])(?!\d{3}[02])(?!\d{4}[025])(?!\d{5}0)(?!\d{6}0000)\d{10}$/;

/** A typed postcode in, ten ASCII digits out; a Persian reason when it is wrong. */
export const postcode = v.pipe(
  v.string(),
  v.transform(normaliseIdentifier),
  v.regex(/^\d+$/, faValidation.postcodeDigits),
  v.length(10, faValidation.postcodeLength),
  v.regex(POSTCODE_RULE, faValidation.postcodeInvalid),
);
