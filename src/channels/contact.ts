/** A shared contact's phone number, in the one form the rest of Pishkhan reads. */
import * as v from 'valibot';
import { mobile } from '../validation/mobile.ts';
import { toAsciiDigits } from '../validation/normalise.ts';

/**
 * A contact card's phone number: `09xxxxxxxxx` for an Iranian mobile (whether the messenger wrote
 * `+98…`, `98…` or `0…`), otherwise its digits as given. A number without a digit is invalid.
 */
export const ContactPhone = v.pipe(v.string(), v.maxLength(32), v.transform(canonicalPhone), v.string(), v.nonEmpty());

function canonicalPhone(raw: string): string {
  const parsed = v.safeParse(mobile, raw);
  return parsed.success ? parsed.output : toAsciiDigits(raw).replace(/\D/g, '');
}
