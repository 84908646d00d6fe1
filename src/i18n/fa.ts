/**
 * Every citizen-facing string, in Persian. Code refers to these by name so that a translator
 * (or a second language) never has to read the code.
 */

export const fa = {
  greeting: 'سلام! به پیشخوان خوش آمدید.\nخدمات دولت همراه را از همین گفت‌وگو بگیرید.',
  menuPrompt: 'خدمت مورد نظرتان را از منو انتخاب کنید.',
  unknownChoice: 'این گزینه را نشناختم.',
  unsupportedMessage: 'فعلاً فقط پیام متنی را می‌فهمم.',
  menuButton: 'منو',
  /** Words that return to the main menu from anywhere. */
  menuWords: ['منو', 'منوی اصلی', '/start', '/menu', 'شروع'],

  validation: {
    postcodeDigits: 'کد پستی فقط از رقم تشکیل می‌شود؛ مثال: ۱۱۹۳۶۵۳۴۷۱',
    postcodeLength: 'کد پستی باید ۱۰ رقم باشد؛ مثال: ۱۱۹۳۶۵۳۴۷۱',
    postcodeInvalid: 'این کد پستی معتبر نیست؛ لطفاً آن را دوباره از روی قبض یا سند بخوانید. مثال: ۱۱۹۳۶۵۳۴۷۱',
  },

  upstream: {
    notFound: 'سامانه اطلاعاتی برای این درخواست نیافت.',
    rejected: 'سامانه این درخواست را نپذیرفت؛ لطفاً اطلاعات را بررسی و دوباره امتحان کنید.',
    unavailable: 'سامانه‌ی مربوط فعلاً پاسخ نمی‌دهد. لطفاً چند دقیقه دیگر دوباره امتحان کنید.',
    unreadable: 'پاسخ سامانه قابل خواندن نبود. لطفاً کمی بعد دوباره امتحان کنید.',
  },

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
