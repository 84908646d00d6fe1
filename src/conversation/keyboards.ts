/**
 * The buttons the engine offers. The menu and the form's steering words go on the reply keyboard
 * (a press comes back as text); a question's choices and the retry offer are inline buttons on
 * the message itself (a press comes back as a `button` event carrying the value).
 */
import { fa } from '../i18n/fa.ts';
import { faIdentity } from '../i18n/fa-identity.ts';
import { faNotices } from '../i18n/fa-notices.ts';
import type { Catalogue } from '../services/catalogue.ts';
import type { Service } from '../services/types.ts';
import type { Button } from '../types.ts';

/**
 * The main menu: service titles, two to a row, a row never shared by two categories (the catalogue
 * lists them category by category), then «حساب من». One press opens any service; the rows keep
 * each category together on a phone without a category step before every inquiry.
 */
export function menuKeyboard(catalogue: Catalogue): Button[][] {
  const categories = new Map<string, Button[]>();
  for (const service of catalogue.services) {
    categories.set(service.category, [...(categories.get(service.category) ?? []), word(service.title)]);
  }
  return [...[...categories.values()].flatMap(inRows), [word(faIdentity.accountButton)]];
}

/** While binding: the button that shares the citizen's own number, and the way out. */
export function contactKeyboard(): Button[][] {
  return [[{ ...word(faIdentity.shareButton), requestContact: true }], [word(fa.cancelButton)]];
}

/**
 * Under «حساب من»: «اشتراک‌های من» (with an identity bound) and erasing are offered on the message
 * itself, so the menu keyboard stays.
 */
export function accountButtons(bound: boolean): Button[][] {
  return [...(bound ? [[word(faNotices.mineButton)]] : []), [word(faIdentity.eraseButton)]];
}

/** «خبرم کن», offered on an answer that can be watched. */
export function notifyButton(): Button[] {
  return [word(faNotices.notifyButton)];
}

export function confirmWatchButtons(): Button[][] {
  return [[word(faNotices.yesButton), word(faNotices.noButton)]];
}

/**
 * A button that acts on subscription `id` (its end, its renewal), on a notice or a list: its value
 * names the subscription, so it works whatever the conversation is doing when it is pressed.
 */
export function subscriptionButton(label: string, action: 'stop' | 'renew', id: string): Button {
  return { label, value: `${SUBSCRIPTION_ACTION}${action}:${id}` };
}

/** The value prefix of `subscriptionButton`s. */
export const SUBSCRIPTION_ACTION = 'notice:';

export function confirmEraseButtons(): Button[][] {
  return [[word(faIdentity.eraseYes), word(faIdentity.eraseNo)]];
}

/** Under every question, so nobody has to type the words that steer a form. */
export function formKeyboard(): Button[][] {
  return [[word(fa.backButton), word(fa.helpButton), word(fa.cancelButton)]];
}

/** Services to choose between, one to a row (titles are long); a press sends the title, as the menu's would. */
export function serviceButtons(services: readonly Service[]): Button[][] {
  return services.map((service) => [word(service.title)]);
}

/** A question's choices, two to a row. */
export function choiceButtons(choices: readonly Button[]): Button[][] {
  return inRows(choices);
}

/** Offered after the bus did not answer; its value is a retry word, so typing it works as well. */
export function retryButton(): Button[][] {
  return [[{ label: fa.retryButton, value: fa.retryWords[0] }]];
}

/**
 * The next step after an answer: «استعلام دیگر» (another inquiry of the same service, offered only
 * when it asks something, since asking again about the same citizen gives the same answer) and
 * «منوی اصلی». Values are steering words, so typing them works as well.
 */
export function nextStepButtons(asksSomething: boolean): Button[][] {
  const menu = { label: fa.menuButton, value: fa.menuButton };
  return [asksSomething ? [{ label: fa.againButton, value: fa.againWords[0] }, menu] : [menu]];
}

/** A reply-keyboard button sends its label back, so what the citizen sees is what the engine reads. */
function word(label: string): Button {
  return { label, value: label };
}

function inRows(buttons: readonly Button[]): Button[][] {
  const rows: Button[][] = [];
  for (let i = 0; i < buttons.length; i += 2) rows.push(buttons.slice(i, i + 2));
  return rows;
}
