/**
 * The Persian texts of identity binding (docs/bus.md#identity-binding-and-shahkar) and of «حساب
 * من», kept short: the bundler writes each Persian letter as a six-byte escape, and the worker has
 * a size budget. None quotes a national code or a mobile but in the masked forms the account shows
 * its owner.
 */

export const faIdentity = {
  /** What is kept, why, and how to take it back: said before anything is asked. */
  notice:
    'این خدمت فقط به خود شما پاسخ می‌دهد؛ پس شماره همراه و کد ملی‌تان، پس از تأیید شاهکار، رمزنگاری‌شده ثبت می‌شود ' +
    'و هر وقت بخواهید از «حساب من» پاک می‌شود.',
  askContact: 'دکمه‌ی «ارسال شماره من» را بزنید.',
  shareButton: 'ارسال شماره من',
  /** Soroush legacy: no button shares one's number, and a card's owner cannot be told. */
  notHere: 'خدمات شخصی در این پیام‌رسان ممکن نیست؛ از گپ، سروش پلاس یا بله استفاده کنید.',
  typedNumber: 'شماره را تایپ نکنید؛ فقط با دکمه معلوم می‌شود شماره از آنِ خود شماست.',
  notAContact: 'لطفاً شماره را با دکمه بفرستید.',
  otherContact: 'این شماره‌ی کس دیگری است؛ فقط شماره‌ی خودتان پذیرفته می‌شود.',
  notAMobile: 'این شماره همراه ایران نیست.',
  /** Sent to the phone number's own Gap chat: its owner may not have asked for it. */
  codeMessage: (code: string) =>
    `کد تأیید پیشخوان: ${code}\nاین کد برای ثبت این شماره در پیشخوان خواسته شده است؛ آن را به هیچ کس ندهید. ` +
    'اگر شما نخواسته‌اید، نادیده بگیرید.',
  /** A number gets only so many codes an hour and a day, whichever chats ask for them. */
  codesLimited: 'به این شماره به‌تازگی چند کد فرستاده‌ایم؛ برای جلوگیری از مزاحمت، کمی بعد دوباره امتحان کنید.',
  askCode: 'کدی را که به گپِ این شماره فرستادیم بنویسید (تا ۵ دقیقه).',
  wrongCode: 'کد درست نیست.',
  tooManyWrongCodes: 'کد سه بار نادرست بود؛ چیزی ثبت نشد.',
  codeExpired: 'کد منقضی شد؛ چیزی ثبت نشد.',
  phoneConfirmed: 'شماره تأیید شد.',
  askNationalCode: 'کد ملی خودتان را بنویسید.',
  nationalCodeHelp: 'مثال: ۰۴۹۹۳۷۰۸۹۹',
  bound: 'هویت شما ثبت شد.',
  mismatch: 'شاهکار تأیید نکرد که این شماره به نام این کد ملی است؛ چیزی ثبت نشد.',
  tooManyAttempts: 'تلاش‌های امروز از حد گذشت؛ فردا امتحان کنید.',
  checkUnavailable: 'شاهکار فعلاً پاسخ نمی‌دهد.',

  accountButton: 'حساب من',
  /** Both in bidi isolates, so the Latin digits read left to right inside the Persian line. */
  accountBound: (nationalCode: string, mobile: string) =>
    `کد ملی: \u2066${nationalCode}\u2069\nشماره همراه: \u2066${mobile}\u2069`,
  accountEmpty: 'هویتی ثبت نشده است.',
  eraseButton: 'حذف اطلاعات من',
  confirmErase:
    'هویت، گفت‌وگو و پیام‌های شما در این پیام‌رسان پاک شود؟ از درخواست‌ها فقط سابقه‌ای با شناسه‌ی رمزشده و ' +
    'چهار رقم آخر می‌ماند.',
  eraseYes: 'بله، حذف شود',
  eraseNo: 'نه',
  erased:
    'اطلاعات شما در این پیام‌رسان حذف شد. از درخواست‌ها فقط سابقه‌ای با شناسه‌ی رمزشده و چهار رقم آخر می‌ماند؛ ' +
    'ثبت شما در پیام‌رسان‌های دیگر جداست و آن‌جا جداگانه حذف می‌شود.',
  notErased: 'چیزی حذف نشد.',
} as const;
