import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { licensesFor } from '../../../dev/sandboxes/gsb/records.ts';
import { licenseStatusService as service } from '../../../src/services/license-status.ts';
import { IDENTITY } from './identity.ts';

describe('the licence status service', () => {
  it('is a personal service under خودرو و رانندگی that asks nothing and sends the bound identity', () => {
    expect(service).toMatchObject({ id: 'license-status', title: 'وضعیت گواهینامه', identity: true, inputs: [] });
    expect(service.upstream.operation).toBe('naja/license/licenseStatus');
    expect(service.upstream.body({}, IDENTITY)).toEqual({ nationalCode: '0499370899', mobile: '09022002580' });
  });

  it('shows one block per licence, dates Jalali in Persian digits', () => {
    const licence = { number: '9812345678', status: 'معتبر', issueDate: '1398/2/5', validUntil: '1408/02/05' };
    const result = v.parse(service.upstream.result, {
      licenses: [
        { ...licence, type: 'پایه دوم' },
        { ...licence, type: 'موتورسیکلت', status: 'منقضی' },
      ],
    });
    const [heading, first, second] = service.render(result, {}).split('\n\n');
    expect(heading).toBe('🪪 گواهینامه‌های شما');
    expect(first).toBe('۱. پایه دوم\nشماره: ۹۸۱۲۳۴۵۶۷۸\nوضعیت: معتبر\nصدور: ۱۳۹۸/۰۲/۰۵\nاعتبار تا: ۱۴۰۸/۰۲/۰۵');
    expect(second).toContain('۲. موتورسیکلت\n');
    expect(second).toContain('وضعیت: منقضی');
  });

  it('says no licence is recorded for an empty list', () => {
    expect(service.render({ licenses: [] }, {})).toBe(service.notFound);
  });

  it('reads what the sandbox answers', () => {
    expect(v.is(service.upstream.result, licensesFor(IDENTITY.nationalCode))).toBe(true);
  });
});
