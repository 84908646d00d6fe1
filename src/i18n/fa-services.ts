/** The Persian texts of each service: its title, questions and the words of its answer. */

export const faServices = {
  postcode: {
    title: 'نشانی از کد پستی',
    category: 'نشانی',
    prompt: 'کد پستی ۱۰ رقمی را بنویسید (با رقم فارسی یا انگلیسی).',
    notFound: 'برای این کد پستی نشانی‌ای ثبت نشده است.',
    heading: 'نشانی کد پستی',
    province: 'استان',
    township: 'شهرستان',
    plaque: 'پلاک',
    floor: 'طبقه',
    unit: 'واحد',
  },
} as const;
