/**
 * The Persian texts of the notices a citizen asks for (docs/notices.md): «خبرم کن» after an answer,
 * what it means, «اشتراک‌های من», the notice itself and the renewal question. A notice says no
 * more than the answer would: what is watched, and how many items are new.
 */
import { toPersianDigits } from './digits.ts';

export const faNotices = {
  notifyButton: 'خبرم کن',
  /** Told before anything is kept: what a subscription does, its limits, and how to end it. */
  explain: (what: string) =>
    `با «خبرم کن»، ${what} روزی یک بار (نه بیشتر) بررسی می‌شود و فقط وقتی مورد تازه‌ای ثبت شود پیام می‌گیرید؛ ` +
    'بین ساعت ۲۲ تا ۸ صبح پیامی نمی‌فرستیم. هر اشتراک ۹۰ روز می‌ماند و یک هفته پیش از پایانش برای تمدید می‌پرسیم. ' +
    'در «اشتراک‌های من» فهرستشان را می‌بینید و لغوشان می‌کنید؛ هر کد ملی حداکثر ۳ اشتراک دارد. خبرتان کنیم؟',
  yesButton: 'بله، خبرم کن',
  noButton: 'نه',
  subscribed: 'ثبت شد؛ هر مورد تازه را خبر می‌دهیم.',
  /** The fourth subscription of one national code. */
  full: 'شما ۳ اشتراک دارید و بیش از این ممکن نیست؛ برای این یکی، نخست یکی را در «اشتراک‌های من» لغو کنید.',
  notSubscribed: 'باشد؛ اشتراکی ثبت نشد.',
  mineButton: 'اشتراک‌های من',
  none: 'اشتراکی ندارید. پس از استعلام خلافی خودرو، «خبرم کن» را بزنید.',
  heading: 'اشتراک‌های شما:',
  item: (n: number, what: string, days: number) =>
    `${toPersianDigits(n)}. ${what}، تا ${toPersianDigits(days)} روز دیگر`,
  cancelNth: (n: number) => `لغو ${toPersianDigits(n)}`,
  cancelButton: 'لغو این اشتراک',
  cancelled: 'اشتراک لغو شد؛ دیگر پیامی درباره‌اش نمی‌آید.',
  /** Asked once, a week before a subscription ends. */
  renewAsk: (what: string, days: number) =>
    `اشتراک «${what}» تا ${toPersianDigits(days)} روز دیگر تمام می‌شود. ۹۰ روز دیگر تمدید شود؟`,
  renewButton: 'تمدید',
  renewed: 'تمدید شد؛ تا ۹۰ روز دیگر خبر می‌دهیم.',
  gone: 'این اشتراک دیگر نیست.',
  trafficFines: {
    what: (plate: string) => `خلافی پلاک ${plate}`,
    news: (count: number, plate: string) =>
      `🚦 ${toPersianDigits(count)} خلافی تازه برای پلاک ${plate} ثبت شده است. ` +
      'برای دیدن جزئیات و پرداخت، «استعلام خلافی خودرو» را بزنید.',
  },
} as const;
