/**
 * The conversation's own strings, in Persian. Every citizen-facing string lives in i18n/ (this
 * file, fa-validation.ts and fa-services.ts), so a translator never has to read the code.
 */

export const fa = {
  greeting: 'سلام! به پیشخوان خوش آمدید.\nخدمات دولت همراه را از همین گفت‌وگو بگیرید.',
  menuPrompt: 'خدمت مورد نظرتان را از منو انتخاب کنید.',
  unknownChoice: 'منظورتان را پیدا نکردم. نام خدمت را بنویسید، مثلاً «قبض برق» یا «خلافی ماشین»، یا از منو انتخاب کنید.',
  /** Above the services a message could mean. */
  whichOne: 'منظورتان کدام است؟',
  /** An identifier typed at the menu that is personal: it goes nowhere, and this says what it is good for. */
  personalAtMenu: {
    nationalCode:
      'این عدد شبیه کد ملی است و آن را جایی نمی‌فرستم. برای خدمات شخصی، خدمت را از منو انتخاب کنید؛ ' +
      'کد ملی یک بار، هنگام تأیید هویت، پرسیده می‌شود. اگر کد پستی است، «نشانی از کد پستی» را بزنید.',
    mobile:
      'این شماره‌ی همراه است و آن را جایی نمی‌فرستم. برای خدمات شخصی، خدمت را از منو انتخاب کنید؛ ' +
      'شماره‌ی شما با دکمه‌ی «ارسال شماره من» فرستاده می‌شود.',
  },
  unsupportedMessage: 'فعلاً فقط پیام متنی را می‌فهمم.',
  /** Sent on «راهنما» outside a form, above the menu. */
  howItWorks:
    'پیشخوان خدمات دولت همراه را همین‌جا به شما می‌دهد.\n' +
    'خدمت را از منو انتخاب کنید و به پرسش‌ها یکی‌یکی پاسخ دهید؛ نتیجه همین‌جا می‌رسد.\n' +
    'در میانه‌ی کار، «بازگشت»، «لغو» و «راهنما» همیشه در دسترس‌اند.',
  /** Sent on «راهنما» inside a form, after the question's own help. */
  formControls: '«بازگشت» شما را به پرسش قبلی می‌برد و «لغو» به منو.',
  cancelled: 'درخواست لغو شد.',
  /** The one answer in a group chat, to a command or a press of the bot's button. */
  privateOnly:
    'خدمات پیشخوان فقط در گفت‌وگوی خصوصی با من در دسترس است تا اطلاعات هر کس فقط برای خودش بماند. ' +
    'روی نام من بزنید و در گفت‌وگوی خصوصی «شروع» را بفرستید.',
  notAChoice: 'این پاسخ جزو گزینه‌ها نیست؛ لطفاً یکی از دکمه‌ها را بزنید.',
  staleButton: 'این دکمه مربوط به پرسش دیگری است.',
  tooManyTries:
    'اشکالی ندارد؛ گاهی پیدا کردن اطلاعات درست کمی وقت می‌برد. به منو برگشتیم. ' +
    'هر وقت آماده بودید دوباره شروع کنید؛ در هر پرسش، «راهنما» نمونه‌ی پاسخ را نشان می‌دهد.',
  /** Before the greeting, when the stored conversation could not be read (a key retired too early). */
  conversationLost: 'پوزش می‌خواهیم؛ گفت‌وگوی قبلی‌تان را نتوانستیم ادامه دهیم. از نو شروع کنیم.',
  /** Added to the greeting when a half-filled form was dropped because the chat went quiet. */
  formExpired: 'کار نیمه‌تمام قبلی چون مدتی گذشته بود بسته شد؛ از نو شروع کنیم.',

  backButton: 'بازگشت',
  cancelButton: 'لغو',
  helpButton: 'راهنما',
  retryButton: 'تلاش دوباره',
  againButton: 'استعلام دیگر',
  menuButton: 'منوی اصلی',
  /** Words that return to the main menu from anywhere. */
  menuWords: ['منو', 'منوی اصلی', '/start', '/menu', 'شروع'],
  /** Words that leave a form, with a confirmation. */
  cancelWords: ['لغو', 'انصراف', '/cancel'],
  /** Words that go one question back. */
  backWords: ['بازگشت', 'قبلی', '/back'],
  /** Words that explain the current question, or the bot. */
  helpWords: ['راهنما', 'کمک', '/help'],
  /** Words that make a failed call again; the first value is what the retry button sends. */
  retryWords: ['/retry', 'تلاش دوباره'],
  /** Words that open the service just answered again; the first value is what its button sends. */
  againWords: ['/again', 'استعلام دیگر'],

  upstream: {
    notFound: 'سامانه اطلاعاتی برای این درخواست نیافت.',
    rejected: 'سامانه این درخواست را نپذیرفت؛ لطفاً اطلاعات را بررسی و دوباره امتحان کنید.',
    unavailable: 'سامانه‌ی مربوط فعلاً پاسخ نمی‌دهد. لطفاً چند دقیقه دیگر دوباره امتحان کنید.',
    unreadable: 'پاسخ سامانه قابل خواندن نبود. لطفاً کمی بعد دوباره امتحان کنید.',
  },
  /** Sent when a message could not be processed after every retry. */
  apology: 'متأسفیم، پیام شما را نتوانستیم پردازش کنیم. لطفاً دوباره بفرستید یا «منو» را بزنید.',
} as const;
