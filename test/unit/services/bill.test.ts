import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { faServices } from '../../../src/i18n/fa-services.ts';
import { faValidation } from '../../../src/i18n/fa-validation.ts';
import { billService } from '../../../src/services/bill.ts';
import { catalogue } from '../../../src/services/catalogue.ts';
import { schemaOf } from '../../../src/services/types.ts';
import { buildPaymentId } from '../../../src/validation/bill.ts';

const LANDLINE = '7748317800142';
const WATER = '2050327604613';
const [question] = billService.inputs;

/** The bus's answer for a landline bill of 1,230,000 rials (123,000 tomans). */
const answer = (overrides: Record<string, unknown> = {}) => ({
  amount: 1_230_000,
  billId: LANDLINE,
  paymentId: buildPaymentId(LANDLINE, 1_230_000, '405'),
  dueDate: '1403/5/9',
  ...overrides,
});

const rendered = (result: unknown) =>
  billService.render(v.parse(billService.upstream.result, result), { billId: LANDLINE });

describe('the bill service', () => {
  it('is declared as استعلام قبض under قبوض, the one service of its category in the menu, with no identity needed', () => {
    expect(billService).toMatchObject({ id: 'bill', title: 'استعلام قبض', category: 'قبوض', identity: false });
    expect(billService.upstream).toMatchObject({ operation: 'billing/utility/billInquiry', pid: 'pishkhan-bill-v1' });
    expect(catalogue.services.filter((service) => service.category === 'قبوض')).toEqual([billService]);
    expect(catalogue.byId('bill')).toBe(billService);
  });

  it('asks for the bill id alone, typed in any digits', () => {
    expect(billService.inputs).toHaveLength(1);
    expect(question?.name).toBe('billId');
    expect(v.parse(schemaOf(question!, Date.now()), '۷۷۴۸-۳۱۷۸-۰۰۱۴۲')).toBe(LANDLINE);
  });

  it('gives the reason and keeps asking for a wrong check digit or a bill this inquiry does not serve', () => {
    const reason = (typed: string) => v.safeParse(schemaOf(question!, Date.now()), typed).issues?.[0]?.message;
    expect(reason('7748317800143')).toBe(faValidation.billIdCheckDigit);
    expect(reason('7748317800169')).toBe(faValidation.billIdNotUtility.municipality);
    expect(reason('7748317800177')).toBe(faValidation.billIdUnknownType);
  });

  it('builds the body from the answer: the type the type digit names, and the bill id', () => {
    expect(billService.upstream.body({ billId: LANDLINE })).toEqual({ billType: 'landline', billId: LANDLINE });
    expect(billService.upstream.body({ billId: WATER })).toEqual({ billType: 'water', billId: WATER });
  });

  it('shows the amount in tomans with Persian digits and separators, and the due date in Persian digits', () => {
    const text = rendered(answer());
    expect(text).toContain('۱۲۳٬۰۰۰ تومان');
    expect(text).toContain(`${faServices.bill.dueDate} ۱۴۰۳/۰۵/۰۹`);
    expect(text).toContain(faServices.bill.types.landline);
  });

  it('shows the bill id and the payment id in Latin digits, each on a line of its own', () => {
    const lines = rendered(answer()).split('\n');
    expect(lines).toContain(LANDLINE);
    expect(lines).toContain(answer().paymentId);
    expect(lines[lines.indexOf(LANDLINE) - 1]).toBe(faServices.bill.billId);
    expect(lines[lines.indexOf(answer().paymentId) - 1]).toBe(faServices.bill.paymentId);
  });

  it('reads 17,000 rials as ۱٬۷۰۰ تومان', () => {
    const text = rendered(answer({ amount: 17_000, paymentId: '1770160', dueDate: '1403/12/30' }));
    expect(text).toContain('۱٬۷۰۰ تومان');
    expect(text).toContain('۱۴۰۳/۱۲/۳۰');
  });

  it('refuses an answer whose payment id, amount or due date does not hold together', () => {
    const valid = (result: unknown) => v.is(billService.upstream.result, result);
    expect(valid(answer())).toBe(true);
    expect(valid(answer({ paymentId: '12908197' }))).toBe(false);
    expect(valid(answer({ amount: 1_240_000 }))).toBe(false);
    expect(valid(answer({ billId: '7748317800143' }))).toBe(false);
    expect(valid(answer({ dueDate: '1403/07/31' }))).toBe(false);
    expect(valid(answer({ amount: '1230000' }))).toBe(false);
  });
});
