import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { platesFor } from '../../../dev/sandboxes/gsb/records.ts';
import { activePlatesService as service } from '../../../src/services/active-plates.ts';
import { IDENTITY } from './identity.ts';

const plate = { plateNumber: '120234567', text: '', serial: '12345678', revoked: false };

describe('the active plates service', () => {
  it('is a personal service under خودرو و رانندگی that asks nothing and sends the bound identity', () => {
    expect(service).toMatchObject({ id: 'active-plates', title: 'پلاک‌های فعال', identity: true, inputs: [] });
    expect(service.upstream.operation).toBe('naja/vehicle/activePlates');
    expect(service.upstream.body({}, IDENTITY)).toEqual({ nationalCode: '0499370899', mobile: '09022002580' });
  });

  it('shows each plate isolated, in use or revoked with its date and reason', () => {
    const result = v.parse(service.upstream.result, {
      plates: [
        plate,
        { ...plate, plateNumber: '552411188', revoked: true, revokedAt: '1401/3/12', revokedReason: 'فروش خودرو' },
      ],
    });
    const [heading, first, second] = service.render(result, {}).split('\n\n');
    expect(heading).toBe('🚗 پلاک‌های به نام شما');
    expect(first).toBe('۱. \u2066۱۲ ب\u200e ۳۴۵ ایران\u200e ۶۷\u2069: فعال\nسریال: ۱۲۳۴۵۶۷۸');
    expect(second?.split('\n')).toEqual([
      '۲. \u2066۵۵ ق\u200e ۱۱۱ ایران\u200e ۸۸\u2069: فک‌شده در ۱۴۰۱/۰۳/۱۲',
      'سریال: ۱۲۳۴۵۶۷۸',
      'علت: فروش خودرو',
    ]);
  });

  it('falls back to the bus’s text for a plate that is not a car plate’s nine digits', () => {
    const result = v.parse(service.upstream.result, {
      plates: [{ ...plate, plateNumber: '12345678', text: '۱۲۳ - ۴۵۶۷۸' }],
    });
    expect(service.render(result, {})).toContain('\u2066۱۲۳ - ۴۵۶۷۸\u2069');
  });

  it('says no plate is recorded for an empty list', () => {
    expect(service.render({ plates: [] }, {})).toBe(service.notFound);
  });

  it('reads what the sandbox answers', () => {
    expect(v.is(service.upstream.result, platesFor(IDENTITY.nationalCode))).toBe(true);
  });
});
