import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { trafficFinesFor } from '../../../dev/sandboxes/gsb/records.ts';
import { faServices } from '../../../src/i18n/fa-services.ts';
import { faValidation } from '../../../src/i18n/fa-validation.ts';
import { trafficFinesService as service } from '../../../src/services/traffic-fines.ts';
import { schemaOf } from '../../../src/services/types.ts';
import { billCheckDigit, buildPaymentId } from '../../../src/validation/bill.ts';
import { IDENTITY, NOW } from './identity.ts';

const PLATE = '120234567';
const head = '12345678909';
const BILL_ID = `${head}${billCheckDigit(head)}`;
const fine = (overrides: Record<string, unknown> = {}) => ({
  id: '100200300400',
  type: 'دوربین',
  description: 'عبور از چراغ قرمز',
  city: 'تهران',
  location: 'بزرگراه همت',
  dateTime: '1405/08/12 14:35',
  amount: 10_000_000,
  billId: BILL_ID,
  paymentId: buildPaymentId(BILL_ID, 10_000_000, '508'),
  payable: true,
  ...overrides,
});
const parse = (result: unknown) => v.safeParse(service.upstream.result, result);
const rendered = (result: unknown) => service.render(v.parse(service.upstream.result, result), { plate: PLATE });
const reason = (typed: string) => v.safeParse(schemaOf(service.inputs[0]!, NOW), typed).issues?.[0]?.message;

describe('the traffic fines service', () => {
  it('is a personal service under خودرو و رانندگی asking for the plate, with help and an example', () => {
    expect(service).toMatchObject({ id: 'traffic-fines', title: 'استعلام خلافی خودرو', identity: true });
    expect(service.category).toBe('خودرو و رانندگی');
    expect(service.upstream.operation).toBe('naja/traffic/drivingOffense');
    expect(service.inputs.map((input) => input.name)).toEqual(['plate']);
    expect(service.inputs[0]?.help).toContain('مثال: ۱۲ ب ۳۴۵ ایران ۶۷');
    expect(reason('12 345 67')).toBe(faValidation.plateForm);
    expect(reason('12 x 345 67')).toBe(faValidation.plateLetter);
  });

  it('sends the bound national code and mobile with the plate’s nine digits', () => {
    const plate = v.parse(schemaOf(service.inputs[0]!, NOW), '۱۲ ب ۳۴۵ ایران ۶۷');
    expect(service.upstream.body({ plate }, IDENTITY)).toEqual({
      nationalCode: '0499370899',
      mobile: '09022002580',
      plateNumber: PLATE,
    });
    expect(service.upstream.subject?.(service.upstream.body({ plate }, IDENTITY))).toBe('0499370899');
  });

  it('shows the total first, then one block per fine, with the plate isolated and amounts in tomans', () => {
    const text = rendered({
      totalAmount: 11_000_000,
      fines: [
        fine(),
        fine({
          id: 2,
          amount: 1_000_000,
          payable: false,
          billId: null,
          paymentId: null,
          description: 'توقف در محل ممنوع',
        }),
      ],
    });
    const [head, first, second] = text.split('\n\n');
    expect(head).toBe(
      `🚦 خلافی پلاک \u2066۱۲ ب\u200e ۳۴۵ ایران\u200e ۶۷\u2069\n${faServices.trafficFines.total} ۱٬۱۰۰٬۰۰۰ تومان (۲ مورد)`,
    );
    expect(first?.split('\n').slice(0, 4)).toEqual([
      '۱. عبور از چراغ قرمز',
      '۱۴۰۵/۰۸/۱۲ ساعت ۱۴:۳۵، تهران، بزرگراه همت',
      'ثبت: دوربین',
      'مبلغ: ۱٬۰۰۰٬۰۰۰ تومان',
    ]);
    expect(second).toContain('۲. توقف در محل ممنوع');
    expect(second).toContain(faServices.trafficFines.notPayable);
    expect(second).not.toContain(faServices.bill.billId);
    expect(text).toContain(faServices.bill.howToPay);
  });

  it('puts a payable fine’s bill id and payment id in Latin digits, each on a line of its own', () => {
    const lines = rendered({ totalAmount: 10_000_000, fines: [fine()] }).split('\n');
    expect(lines[lines.indexOf(faServices.bill.billId) + 1]).toBe(BILL_ID);
    expect(lines[lines.indexOf(faServices.bill.paymentId) + 1]).toBe(fine().paymentId);
  });

  it('says no fine is recorded for an empty list, as for no record', () => {
    expect(rendered({ totalAmount: 0, fines: [] })).toBe(service.notFound);
    expect(service.notFound).toContain('خلافی ثبت نشده است');
  });

  it('refuses a payable fine whose ids or amount disagree, or whose date is no Jalali date', () => {
    expect(parse({ totalAmount: 0, fines: [fine()] }).success).toBe(true);
    expect(parse({ totalAmount: 0, fines: [fine({ amount: 9_000_000 })] }).success).toBe(false);
    expect(parse({ totalAmount: 0, fines: [fine({ paymentId: '1770160' })] }).success).toBe(false);
    expect(parse({ totalAmount: 0, fines: [fine({ billId: '7748317800142' })] }).success).toBe(false);
    expect(parse({ totalAmount: 0, fines: [fine({ dateTime: '1405/07/31 10:00' })] }).success).toBe(false);
    expect(parse({ totalAmount: 0, fines: [fine({ payable: false, paymentId: '1' })] }).success).toBe(true);
  });

  it('reads what the sandbox answers', () => {
    expect(parse(trafficFinesFor(IDENTITY.nationalCode, PLATE)).success).toBe(true);
  });
});
