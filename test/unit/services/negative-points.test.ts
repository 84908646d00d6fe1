import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { negativePointsFor } from '../../../dev/sandboxes/gsb/records.ts';
import { faValidation } from '../../../src/i18n/fa-validation.ts';
import { negativePointsService as service } from '../../../src/services/negative-points.ts';
import { schemaOf } from '../../../src/services/types.ts';
import { IDENTITY, NOW } from './identity.ts';

const read = (typed: string) => v.safeParse(schemaOf(service.inputs[0]!, NOW), typed);

describe('the negative points service', () => {
  it('is a personal service under خودرو و رانندگی asking for the licence number, with help and an example', () => {
    expect(service).toMatchObject({ id: 'negative-points', title: 'نمره منفی گواهینامه', identity: true });
    expect(service.category).toBe('خودرو و رانندگی');
    expect(service.upstream.operation).toBe('naja/license/negativeScore');
    expect(service.inputs[0]?.help).toContain('مثال: ۹۸۱۲۳۴۵۶۷۸');
    expect(read('۹۸۱۲-۳۴۵-۶۷۸').output).toBe('9812345678');
    expect(read('981234567').issues?.[0]?.message).toBe(faValidation.licenceLength);
  });

  it('sends the bound national code and mobile with the licence number', () => {
    expect(service.upstream.body({ licenseNumber: '9812345678' }, IDENTITY)).toEqual({
      nationalCode: '0499370899',
      mobile: '09022002580',
      licenseNumber: '9812345678',
    });
  });

  it('shows the score, the offences and the rule in Persian digits', () => {
    const result = v.parse(service.upstream.result, {
      licenseNumber: '9812345678',
      negativeScore: 12,
      offenseCount: 3,
      rule: 'با رسیدن نمره منفی به ۳۰، گواهینامه سه ماه توقیف می‌شود.',
    });
    expect(service.render(result, {}).split('\n')).toEqual([
      '🪪 نمره منفی گواهینامه',
      'شماره: ۹۸۱۲۳۴۵۶۷۸',
      'نمره منفی: ۱۲',
      'تعداد تخلف‌ها: ۳',
      'با رسیدن نمره منفی به ۳۰، گواهینامه سه ماه توقیف می‌شود.',
    ]);
  });

  it('reads what the sandbox answers', () => {
    expect(v.is(service.upstream.result, negativePointsFor(IDENTITY.nationalCode, '9812345678'))).toBe(true);
  });
});
