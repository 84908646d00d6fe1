/** The driving licence number (شماره گواهینامه): ten digits (docs/bus.md#driving-licence-number). */
import * as v from 'valibot';
import { faValidation } from '../i18n/fa-validation.ts';
import { normaliseIdentifier } from './normalise.ts';

/** A typed licence number in, ten ASCII digits out; a Persian reason when it is wrong. */
export const licenceNumber = v.pipe(
  v.string(),
  v.transform(normaliseIdentifier),
  v.regex(/^\d+$/, faValidation.licenceDigits),
  v.length(10, faValidation.licenceLength),
);
