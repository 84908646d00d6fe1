import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { tollFor } from '../../../dev/sandboxes/municipality/records.ts';
import { faServices } from '../../../src/i18n/fa-services.ts';
import { vehicleTollService as service } from '../../../src/services/vehicle-toll.ts';
import { billCheckDigit, buildPaymentId } from '../../../src/validation/bill.ts';
import { IDENTITY } from './identity.ts';

const PLATE = '120234567';
const head = '12345678906';
const BILL_ID = `${head}${billCheckDigit(head)}`;
const year = (overrides: Record<string, unknown> = {}) => ({
  year: 1403,
  amountRials: 1_250_000,
  billId: BILL_ID,
  paymentId: buildPaymentId(BILL_ID, 1_250_000, '301'),
  ...overrides,
});
const parse = (result: unknown) => v.safeParse(service.upstream.result, result);
const rendered = (result: unknown) => service.render(v.parse(service.upstream.result, result), { plate: PLATE });

describe('the municipality vehicle toll service', () => {
  it("is a personal service of the municipality's API under خودرو و رانندگی, asking for the plate", () => {
    expect(service).toMatchObject({ id: 'vehicle-toll', identity: true, category: 'خودرو و رانندگی' });
    expect(service.title).toBe('عوارض سالیانه خودرو (شهرداری تهران)');
    expect(service.upstream).toMatchObject({ provider: 'municipality', operation: 'v1/vehicle-toll' });
    expect(service.inputs.map((input) => input.name)).toEqual(['plate']);
    expect(service.upstream.body({ plate: PLATE }, IDENTITY)).toEqual({ ...IDENTITY, plateNumber: PLATE });
    expect(service.upstream.subject?.({ ...IDENTITY, plateNumber: PLATE })).toBe(IDENTITY.nationalCode);
  });

  it('renders each year in tomans with its ids to copy, after the plate and the total', () => {
    const text = rendered({ years: [year(), year({ year: 1404 })] });
    expect(text).toContain(`${faServices.vehicleToll.title} \u2066۱۲ ب\u200e ۳۴۵ ایران\u200e ۶۷\u2069`);
    expect(text).toContain(`${faServices.vehicleToll.total} ۲۵۰٬۰۰۰ تومان`);
    expect(text).toContain('سال ۱۴۰۳: ۱۲۵٬۰۰۰ تومان');
    expect(text).toContain(`${faServices.bill.billId}\n${BILL_ID}\n${faServices.bill.paymentId}\n${year().paymentId}`);
    expect(text.endsWith(faServices.bill.howToPay)).toBe(true);
  });

  it('says there is no debt when no year is owed', () => {
    expect(rendered({ years: [] })).toBe('عوارض سالیانه‌ی این پلاک بدهی ندارد.');
  });

  it('takes no answer whose ids fail the bill rules or disagree with the amount', () => {
    expect(parse({ years: [year()] }).success).toBe(true);
    expect(parse({ years: [year({ amountRials: 1_260_000 })] }).success).toBe(false);
    expect(parse({ years: [year({ paymentId: '12503016' })] }).success).toBe(false);
    const trafficHead = '12345678909';
    const trafficBill = `${trafficHead}${billCheckDigit(trafficHead)}`;
    const other = { billId: trafficBill, paymentId: buildPaymentId(trafficBill, 1_250_000, '301') };
    expect(parse({ years: [year(other)] }).success).toBe(false);
  });

  it("reads the sandbox's answers", () => {
    expect(parse(tollFor(IDENTITY.nationalCode, PLATE)).success).toBe(true);
  });
});
