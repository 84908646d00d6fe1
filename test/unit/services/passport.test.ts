import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { passportFor } from '../../../dev/sandboxes/gsb/records.ts';
import { faServices } from '../../../src/i18n/fa-services.ts';
import { passportService as service } from '../../../src/services/passport.ts';
import { IDENTITY } from './identity.ts';

const rendered = (result: unknown) => service.render(v.parse(service.upstream.result, result), {});

describe('the passport service', () => {
  it('is a personal service under هویت و اسناد that asks nothing and sends the bound identity', () => {
    expect(service).toMatchObject({ id: 'passport', title: 'وضعیت گذرنامه', category: 'هویت و اسناد', inputs: [] });
    expect(service.upstream.operation).toBe('police/passport/passportStatus');
    expect(service.upstream.body({}, IDENTITY)).toEqual({ nationalCode: '0499370899', mobile: '09022002580' });
  });

  it('shows the status and dates in Persian digits, and the number in Latin on a line of its own', () => {
    const text = rendered({
      hasPassport: true,
      passportNumber: 'E12345678',
      issueDate: '1402/01/15',
      validUntil: '1407/01/15',
      status: 'معتبر',
    });
    expect(text.split('\n')).toEqual([
      '🛂 گذرنامه',
      'وضعیت: معتبر',
      'صدور: ۱۴۰۲/۰۱/۱۵',
      'اعتبار تا: ۱۴۰۷/۰۱/۱۵',
      faServices.passport.number,
      'E12345678',
    ]);
  });

  it('says so when no passport was issued', () => {
    expect(
      rendered({ hasPassport: false, passportNumber: null, issueDate: null, validUntil: null, status: null }),
    ).toBe(`🛂 ${faServices.passport.none}`);
  });

  it('reads what the sandbox answers', () => {
    expect(v.is(service.upstream.result, passportFor(IDENTITY.nationalCode))).toBe(true);
  });
});
