import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { lifeStatusFor } from '../../../dev/sandboxes/gsb/records.ts';
import { faServices } from '../../../src/i18n/fa-services.ts';
import { faValidation } from '../../../src/i18n/fa-validation.ts';
import { lifeStatusService as service } from '../../../src/services/life-status.ts';
import { schemaOf } from '../../../src/services/types.ts';
import { IDENTITY, NOW } from './identity.ts';

const read = (typed: string, now = NOW) => v.safeParse(schemaOf(service.inputs[0]!, now), typed);

describe('the life status service', () => {
  it('is a personal service under هویت و اسناد asking for the birth date, with help and an example', () => {
    expect(service).toMatchObject({ id: 'life-status', title: 'استعلام وضعیت حیات', category: 'هویت و اسناد' });
    expect(service.upstream.operation).toBe('sabt/ahval/lifeStatus');
    expect(service.inputs.map((input) => input.name)).toEqual(['birthDate']);
    expect(service.inputs[0]?.help).toContain('مثال: ۱۳۷۰/۰۱/۳۱');
  });

  it('reads a birth date as typed, up to the Tehran day of the message, and refuses a later one', () => {
    expect(read('۱۳۷۰/۱/۱').output).toBe('1370/01/01');
    expect(read('13700101').output).toBe('1370/01/01');
    // NOW is 1405/09/08 in Tehran.
    expect(read('1405/09/08').output).toBe('1405/09/08');
    expect(read('1405/09/09').issues?.[0]?.message).toBe(faValidation.jalaliFuture);
    expect(read('1405/09/09', NOW + 86_400_000).output).toBe('1405/09/09');
    expect(read('1371/12/30').issues?.[0]?.message).toBe(faValidation.jalaliDay);
  });

  it('sends the bound national code and the birth date, and no mobile', () => {
    expect(service.upstream.body({ birthDate: '1370/01/01' }, IDENTITY)).toEqual({
      nationalCode: '0499370899',
      birthDate: '1370/01/01',
    });
  });

  it('says whether the registry records the citizen alive, with the tracking code in Latin on its own line', () => {
    const result = v.parse(service.upstream.result, { alive: true, trackingCode: '140512345678' });
    expect(service.render(result, { birthDate: '1370/01/01' }).split('\n')).toEqual([
      '🪪 وضعیت حیات',
      'تاریخ تولد: ۱۳۷۰/۰۱/۰۱',
      faServices.lifeStatus.alive,
      faServices.lifeStatus.trackingCode,
      '140512345678',
    ]);
    expect(service.render({ alive: false, trackingCode: '' }, { birthDate: '1370/01/01' })).toContain(
      faServices.lifeStatus.deceased,
    );
  });

  it('reads what the sandbox answers', () => {
    expect(v.is(service.upstream.result, lifeStatusFor(IDENTITY.nationalCode, '1370/01/01'))).toBe(true);
  });
});
