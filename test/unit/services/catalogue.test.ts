import { describe, expect, it } from 'vitest';
import { menuKeyboard } from '../../../src/conversation/keyboards.ts';
import { faIdentity } from '../../../src/i18n/fa-identity.ts';
import { catalogue } from '../../../src/services/catalogue.ts';

describe('the catalogue and the main menu', () => {
  it("lists the services of docs/bus.md#service-catalogue and the municipality's, category by category", () => {
    expect(catalogue.services.map((service) => service.id)).toEqual([
      'traffic-fines',
      'negative-points',
      'license-status',
      'active-plates',
      'vehicle-toll',
      'bill',
      'military',
      'passport',
      'life-status',
      'postcode',
    ]);
    const categories = [...new Set(catalogue.services.map((service) => service.category))];
    expect(categories).toEqual(['خودرو و رانندگی', 'قبوض', 'هویت و اسناد', 'نشانی']);
  });

  it('gives every category rows of its own, two services to a row, then «حساب من»', () => {
    const rows = menuKeyboard(catalogue).map((row) => row.map((button) => button.label));
    expect(rows).toEqual([
      ['استعلام خلافی خودرو', 'نمره منفی گواهینامه'],
      ['وضعیت گواهینامه', 'پلاک‌های فعال'],
      ['عوارض سالیانه خودرو (شهرداری تهران)'],
      ['استعلام قبض'],
      ['وضعیت نظام وظیفه', 'وضعیت گذرنامه'],
      ['استعلام وضعیت حیات'],
      ['نشانی از کد پستی'],
      [faIdentity.accountButton],
    ]);
  });

  it('has a distinct id and title for each service (a title is what the menu button sends)', () => {
    expect(new Set(catalogue.services.map((service) => service.id)).size).toBe(10);
    expect(new Set(catalogue.services.map((service) => service.title)).size).toBe(10);
  });
});
