/**
 * The conversation's own strings, in Persian. Every citizen-facing string lives in i18n/ (this
 * file, fa-validation.ts and fa-services.ts), so a translator never has to read the code.
 */

export const fa = {
  greeting: 'سلام! به پیشخوان خوش آمدید.\nخدمات دولت همراه را از همین گفت‌وگو بگیرید.',
  menuPrompt: 'خدمت مورد نظرتان را از منو انتخاب کنید.',
  unknownChoice: 'این گزینه را نشناختم.',
  unsupportedMessage: 'فعلاً فقط پیام متنی را می‌فهمم.',
  menuButton: 'منو',
  /** Words that return to the main menu from anywhere. */
  menuWords: ['منو', 'منوی اصلی', '/start', '/menu', 'شروع'],

  upstream: {
    notFound: 'سامانه اطلاعاتی برای این درخواست نیافت.',
    rejected: 'سامانه این درخواست را نپذیرفت؛ لطفاً اطلاعات را بررسی و دوباره امتحان کنید.',
    unavailable: 'سامانه‌ی مربوط فعلاً پاسخ نمی‌دهد. لطفاً چند دقیقه دیگر دوباره امتحان کنید.',
    unreadable: 'پاسخ سامانه قابل خواندن نبود. لطفاً کمی بعد دوباره امتحان کنید.',
  },
  /** Sent when a message could not be processed after every retry. */
  apology: 'متأسفیم، پیام شما را نتوانستیم پردازش کنیم. لطفاً دوباره بفرستید یا «منو» را بزنید.',
} as const;
