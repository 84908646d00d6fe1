/**
 * The GSB sandbox's operations table: one entry per catalogue operation path, each checking its
 * body like the bus would and answering from data.ts and records.ts, with the magic inputs of the
 * unhappy paths.
 */
import * as v from 'valibot';
import type { Problem } from '../../../src/upstream/signing/problems.ts';
import { billTypeOf, hasBillCheckDigit, UTILITY_BILL_TYPES } from '../../../src/validation/bill.ts';
import { jalaliDate } from '../../../src/validation/jalali.ts';
import { sleep } from '../kit/basics.ts';
import { invalidFields, sandboxProblem } from './answers.ts';
import { addressFor, billFor } from './data.ts';
import {
  licensesFor,
  lifeStatusFor,
  militaryStatusFor,
  negativePointsFor,
  passportFor,
  platesFor,
  recordedFinesFor,
  trafficFinesFor,
} from './records.ts';

/** Postcodes (valid per Iran Post's rule) that take the unhappy paths. */
export const MAGIC_POSTCODES = { noRecord: '9999999999', upstreamError: '8888888888', slow: '7777777777' } as const;
/** A bill id (valid, electricity) that has no unpaid bill. */
export const MAGIC_BILLS = { noRecord: '9999999999921' } as const;
/**
 * National codes (valid) that take the unhappy paths: Shahkar says the mobile is not theirs
 * (`mismatch`, for any mobile); no personal service has a record of them (`noRecord`: 404 from
 * military status, fines, negative points, licences, plates, passport and life status). Every other
 * valid code matches every mobile, and has records derived from its digits.
 */
export const MAGIC_NATIONAL_CODES = { mismatch: '0684159414', noRecord: '1583250689' } as const;
/**
 * Inputs of the personal services that have no record whatever the national code: a plate with no
 * fines (۹۹ ی ۹۹۹ ایران ۹۹), a licence number nobody holds, a birth date the registry matches to nobody.
 */
export const MAGIC_PERSONAL = {
  finelessPlate: '993299999',
  unknownLicence: '9999999999',
  unknownBirthDate: '1300/01/01',
} as const;

export type Outcome = { ok: true; result: unknown } | { ok: false; problem: Problem };
export interface OpContext {
  /** How long the "slow" magic input takes. */
  slowMs: number;
  /** Fines recorded since for a plate (nine digits → how many), by POST /_sandbox/fines. */
  recordedFines: Map<string, number>;
}
export type Operation = (json: unknown, ctx: OpContext) => Promise<Outcome>;

const POSTCODE_RE = /^(?![02])(?!\d{1}[02])(?!\d{2}[02])(?!\d{3}[02])(?!\d{4}[025])(?!\d{5}0)(?!\d{6}0000)\d{10}$/;
const RequestId = v.pipe(v.string(), v.trim(), v.nonEmpty(), v.maxLength(128));
const NationalCode = v.pipe(v.string(), v.regex(/^\d{10}$/));
const Mobile = v.pipe(v.string(), v.regex(/^09\d{9}$/));
/** The fields every personal service but military status and life status gets: who is asking. */
const Person = { requestId: RequestId, nationalCode: NationalCode, mobile: Mobile };
const noRecord = (detail: string): Outcome => ({
  ok: false,
  problem: sandboxProblem(404, 'no-record', 'No record', detail),
});

function operation<S extends v.GenericSchema<unknown, { requestId: string }>>(
  schema: S,
  run: (input: v.InferOutput<S>, ctx: OpContext) => Promise<Outcome>,
): Operation {
  return async (json, ctx) => {
    const parsed = v.safeParse(schema, json);
    return parsed.success ? run(parsed.output, ctx) : { ok: false, problem: invalidFields(parsed.issues) };
  };
}

/** A personal service that asks nothing but who is asking: its records, or 404 for the no-record code. */
function personal(recordsOf: (nationalCode: string) => unknown, missing: string): Operation {
  return operation(v.object(Person), async ({ nationalCode }) => {
    if (nationalCode === MAGIC_NATIONAL_CODES.noRecord) return noRecord(missing);
    return { ok: true, result: recordsOf(nationalCode) };
  });
}

/** Operation path (`{provider}/{gateway}/{operation}`) → operation. */
export const OPERATIONS: Readonly<Record<string, Operation>> = {
  'post/gnaf/addressByPostcode': operation(
    v.object({ requestId: RequestId, postcode: v.pipe(v.string(), v.regex(POSTCODE_RE)) }),
    async ({ postcode }, ctx) => {
      if (postcode === MAGIC_POSTCODES.noRecord) return noRecord('no address is registered for this postcode');
      if (postcode === MAGIC_POSTCODES.upstreamError) {
        const problem = sandboxProblem(
          500,
          'upstream-error',
          'Upstream error',
          'the provider (post/gnaf) failed to answer',
        );
        return { ok: false, problem };
      }
      if (postcode === MAGIC_POSTCODES.slow) await sleep(ctx.slowMs);
      return { ok: true, result: addressFor(postcode) };
    },
  ),
  'billing/utility/billInquiry': operation(
    v.pipe(
      v.object({
        requestId: RequestId,
        billType: v.picklist(UTILITY_BILL_TYPES),
        billId: v.pipe(v.string(), v.regex(/^[1-9]\d{5,12}$/), v.check(hasBillCheckDigit)),
      }),
      v.forward(
        v.check(({ billType, billId }) => billTypeOf(billId) === billType),
        ['billId'],
      ),
    ),
    async ({ billType, billId }) => {
      if (billId === MAGIC_BILLS.noRecord) return noRecord('no unpaid bill is registered for this bill id');
      return { ok: true, result: billFor(billId, billType) };
    },
  ),
  'shahkar/gwsh/serviceIDmatching': operation(
    v.object({
      requestId: RequestId,
      serviceNumber: v.pipe(v.string(), v.regex(/^09\d{9}$/)),
      serviceType: v.literal('2'),
      identificationType: v.literal('0'),
      identificationNo: NationalCode,
    }),
    async ({ identificationNo }) => ({
      ok: true,
      result: { matched: identificationNo !== MAGIC_NATIONAL_CODES.mismatch },
    }),
  ),
  'nezam/service/militaryStatus': operation(
    v.object({ requestId: RequestId, nationalCode: NationalCode }),
    async ({ nationalCode }) => {
      if (nationalCode === MAGIC_NATIONAL_CODES.noRecord) return noRecord('no military service file for this code');
      return { ok: true, result: militaryStatusFor(nationalCode) };
    },
  ),
  'naja/traffic/drivingOffense': operation(
    v.object({ ...Person, plateNumber: v.pipe(v.string(), v.regex(/^\d{9}$/)) }),
    async ({ nationalCode, plateNumber }, ctx) => {
      const recorded = ctx.recordedFines.get(plateNumber) ?? 0;
      if (nationalCode === MAGIC_NATIONAL_CODES.noRecord)
        return noRecord('no unpaid fine is registered for this plate');
      if (plateNumber === MAGIC_PERSONAL.finelessPlate) {
        if (recorded === 0) return noRecord('no unpaid fine is registered for this plate');
        return { ok: true, result: recordedFinesFor(plateNumber, recorded) };
      }
      return { ok: true, result: trafficFinesFor(nationalCode, plateNumber, recorded) };
    },
  ),
  'naja/license/negativeScore': operation(
    v.object({ ...Person, licenseNumber: v.pipe(v.string(), v.regex(/^\d{10}$/)) }),
    async ({ nationalCode, licenseNumber }) => {
      if (nationalCode === MAGIC_NATIONAL_CODES.noRecord || licenseNumber === MAGIC_PERSONAL.unknownLicence) {
        return noRecord('no licence with this number is held by this national code');
      }
      return { ok: true, result: negativePointsFor(nationalCode, licenseNumber) };
    },
  ),
  'naja/license/licenseStatus': personal(licensesFor, 'no driving licence for this code'),
  'naja/vehicle/activePlates': personal(platesFor, 'no plate is registered to this code'),
  'police/passport/passportStatus': personal(passportFor, 'no passport file for this code'),
  'sabt/ahval/lifeStatus': operation(
    v.object({
      requestId: RequestId,
      nationalCode: NationalCode,
      birthDate: v.pipe(v.string(), v.regex(/^\d{4}\/\d{2}\/\d{2}$/), jalaliDate),
    }),
    async ({ nationalCode, birthDate }) => {
      if (nationalCode === MAGIC_NATIONAL_CODES.noRecord || birthDate === MAGIC_PERSONAL.unknownBirthDate) {
        return noRecord('no person with this national code and birth date');
      }
      return { ok: true, result: lifeStatusFor(nationalCode, birthDate) };
    },
  ),
};
