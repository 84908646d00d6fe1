/** The Persian reasons a validator gives for a wrong input, each with an example. */

export const faValidation = {
  postcodeDigits: 'کد پستی فقط از رقم تشکیل می‌شود؛ مثال: ۱۱۹۳۶۵۳۴۷۱',
  postcodeLength: 'کد پستی باید ۱۰ رقم باشد؛ مثال: ۱۱۹۳۶۵۳۴۷۱',
  postcodeInvalid: 'این کد پستی معتبر نیست؛ لطفاً آن را دوباره از روی قبض یا سند بخوانید. مثال: ۱۱۹۳۶۵۳۴۷۱',
} as const;
