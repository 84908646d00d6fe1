/** The Persian texts of each service: its title, questions and the words of its answer. */

export const faServices = {
  postcode: {
    title: 'نشانی از کد پستی',
    category: 'نشانی',
    prompt: 'کد پستی ۱۰ رقمی را بنویسید (با رقم فارسی یا انگلیسی).',
    help: 'کد پستی ۱۰ رقم دارد و روی قبض آب، برق یا گاز و در سند یا اجاره‌نامه‌ی خانه آمده است. مثال: ۱۱۹۳۶۵۳۴۷۱',
    notFound: 'برای این کد پستی نشانی‌ای ثبت نشده است.',
    heading: 'نشانی کد پستی',
    province: 'استان',
    township: 'شهرستان',
    plaque: 'پلاک',
    floor: 'طبقه',
    unit: 'واحد',
  },
  bill: {
    title: 'استعلام قبض',
    category: 'قبوض',
    prompt: 'شناسه قبض را بنویسید (با رقم فارسی یا انگلیسی).',
    help: 'شناسه قبض ۶ تا ۱۳ رقم دارد و روی قبض آب، برق، گاز، تلفن ثابت یا تلفن همراه، کنار شناسه پرداخت چاپ شده است. مثال: ۷۷۴۸۳۱۷۸۰۰۱۴۲',
    notFound: 'برای این شناسه قبضِ پرداخت‌نشده‌ای ثبت نشده است؛ یا بدهی ندارید یا قبض دوره‌ی تازه هنوز صادر نشده است.',
    heading: 'قبض',
    amount: 'مبلغ قابل پرداخت:',
    toman: 'تومان',
    dueDate: 'مهلت پرداخت:',
    billId: 'شناسه قبض:',
    paymentId: 'شناسه پرداخت:',
    howToPay: 'برای پرداخت، این دو شناسه را در برنامه‌ی بانک یا کد دستوری پرداخت قبض وارد کنید.',
    /** What each bill type digit names. */
    types: {
      water: 'آب',
      electricity: 'برق',
      gas: 'گاز',
      landline: 'تلفن ثابت',
      mobile: 'تلفن همراه',
      municipality: 'عوارض شهرداری',
      tax: 'مالیات',
      'traffic-fines': 'جریمه‌ی رانندگی',
    },
  },
} as const;
