/**
 * Identity binding (docs/bus.md#identity-binding-and-shahkar) and «حساب من», step by step through
 * the pure engine.
 */
import { describe, expect, it } from 'vitest';
import { renderBotApiMessages } from '../../../src/channels/bot-api/render.ts';
import { renderGapMessage } from '../../../src/channels/gap/render.ts';
import { renderSoroushLegacyMessages } from '../../../src/channels/soroush-legacy/render.ts';
import { CODE_TTL_MS, MAX_BINDING_ATTEMPTS, SHAHKAR } from '../../../src/conversation/binding.ts';
import { settle, step } from '../../../src/conversation/engine.ts';
import type { Account, ConversationState, StepContext, StepResult } from '../../../src/conversation/state.ts';
import { fa } from '../../../src/i18n/fa.ts';
import { faIdentity } from '../../../src/i18n/fa-identity.ts';
import { faNotices } from '../../../src/i18n/fa-notices.ts';
import { faServices } from '../../../src/i18n/fa-services.ts';
import { faValidation } from '../../../src/i18n/fa-validation.ts';
import { catalogue } from '../../../src/services/catalogue.ts';
import type { InboundEvent, Reply } from '../../../src/types.ts';
import { inbound } from '../../support/events.ts';

const NOW = Date.UTC(2026, 10, 29, 12);
const NATIONAL_CODE = '0499370899';
const MOBILE = '09022002580';
const CODE = '482913';
/** Stands in for the keyed hash the processor computes (digits to letters, so it never holds the code). */
const hashOf = (code: string) => `hash:${code.replace(/\d/g, (d) => String.fromCharCode(97 + Number(d)))}`;

const event = (fields: Partial<InboundEvent>) => inbound(NOW, { dedupeKey: 'k', ...fields });
const text = (data: string) => event({ text: data });
const contact = (phone: string, ownership: 'own' | 'other' | 'unknown') =>
  event({ kind: 'contact', contact: { phone, ownership } });

/**
 * Gap's context: an account read (no identity, no attempts, unless given), a code drawn for the
 * step, and the typed text's hash when it is six digits.
 */
function gap(typed: string | null = null, more: Partial<StepContext & Account> = {}): StepContext {
  const { identity = null, bindingAttempts = 0, codeAllowed = true, ...context } = more;
  return {
    account: { identity, bindingAttempts },
    codeToPhone: true,
    contactButton: true,
    codeAllowed,
    codes: { fresh: CODE, freshHash: hashOf(CODE), typedHash: typed === null ? null : hashOf(typed) },
    watches: [],
    ...context,
  };
}
const botApi = (more: Partial<StepContext> = {}) => gap(null, { codeToPhone: false, ...more });
const MENU: ConversationState = { at: 'menu', seenAt: NOW };
const lastText = (result: StepResult) => result.replies.at(-1)?.text ?? '';

/** Walks a Gap binding up to the national code question. */
function uptoNationalCode(): ConversationState {
  const opened = step(MENU, text(faServices.military.title), NOW, catalogue, gap());
  const shared = step(opened.state, contact(MOBILE, 'unknown'), NOW, catalogue, gap());
  return step(shared.state, text('۴۸۲ ۹۱۳'), NOW, catalogue, gap(CODE)).state;
}

describe('binding an identity on Gap, step by step', () => {
  const opened = step(MENU, text(faServices.military.title), NOW, catalogue, gap());

  it('opens a personal service by saying what is kept and why, and offers the contact button', () => {
    expect(opened.state).toMatchObject({ at: 'binding', service: 'military', binding: { stage: 'contact' } });
    expect(lastText(opened)).toBe(`${faIdentity.notice}\n\n${faIdentity.askContact}`);
    expect(opened.replies[0]?.keyboard?.flat()).toContainEqual({
      label: faIdentity.shareButton,
      value: faIdentity.shareButton,
      requestContact: true,
    });
    expect(opened.call).toBeNull();
  });

  const shared = step(opened.state, contact(MOBILE, 'unknown'), NOW, catalogue, gap());

  it('sends the drawn code to the number’s own Gap chat and keeps only its hash', () => {
    const [code, question] = shared.replies as [Reply, Reply];
    expect(code).toEqual({ to: '+989022002580', text: faIdentity.codeMessage(CODE) });
    expect(question.text).toBe(faIdentity.askCode);
    expect(shared.state).toMatchObject({ binding: { stage: 'code', codeHash: hashOf(CODE), sentAt: NOW } });
    expect(JSON.stringify(shared.state)).not.toContain(CODE);
    expect(shared.effect).toEqual({ kind: 'attempt' });
  });

  const confirmed = step(shared.state, text('۴۸۲۹۱۳'), NOW + 60_000, catalogue, gap(CODE));

  it('takes the code typed back, then asks the national code', () => {
    expect(confirmed.state).toMatchObject({ binding: { stage: 'national-code', mobile: MOBILE } });
    expect(lastText(confirmed)).toBe(`${faIdentity.phoneConfirmed}\n\n${faIdentity.askNationalCode}`);
  });

  const checking = step(confirmed.state, text('۰۴۹۹۳۷۰۸۹۹'), NOW + 90_000, catalogue, gap());

  it('asks Shahkar whether the mobile belongs to the national code, a call limited per national code', () => {
    expect(checking.call).toEqual({
      service: SHAHKAR.id,
      operation: 'shahkar/gwsh/serviceIDmatching',
      pid: SHAHKAR.pid,
      body: { serviceNumber: MOBILE, serviceType: '2', identificationType: '0', identificationNo: NATIONAL_CODE },
      subject: NATIONAL_CODE,
      limited: true,
    });
  });

  const matched = settle(checking.state, { kind: 'ok', result: { matched: true } }, catalogue, gap());

  it('binds on a match and goes on to the chosen service, with the bound national code in its body', () => {
    expect(matched.effect).toEqual({ kind: 'bind', identity: { nationalCode: NATIONAL_CODE, mobile: MOBILE } });
    expect(matched.replies[0]?.text).toBe(faIdentity.bound);
    expect(matched.call).toMatchObject({
      service: 'military',
      operation: 'nezam/service/militaryStatus',
      body: { nationalCode: NATIONAL_CODE },
    });
    const answer = settle(
      matched.state,
      { kind: 'ok', result: { type: 'ORDINARY', condition: 'ALLOWED', description: 'کارت صادر شده است.' } },
      catalogue,
    );
    expect(lastText(answer)).toContain(faServices.military.conditions.ALLOWED);
  });

  it('asks nothing about identity once bound: the personal service calls at once', () => {
    const identity = { nationalCode: NATIONAL_CODE, mobile: MOBILE };
    const again = step(MENU, text(faServices.military.title), NOW, catalogue, gap(null, { identity }));
    expect(again.replies).toEqual([]);
    expect(again.call?.body).toEqual({ nationalCode: NATIONAL_CODE });
  });
});

describe('binding on the Bot-API messengers', () => {
  it('takes the citizen’s own card (the sender’s user id) without a code', () => {
    const opened = step(MENU, text(faServices.military.title), NOW, catalogue, botApi());
    const shared = step(opened.state, contact(MOBILE, 'own'), NOW, catalogue, botApi());
    expect(shared.replies.every((reply) => reply.to === undefined)).toBe(true);
    expect(shared.state).toMatchObject({ binding: { stage: 'national-code', mobile: MOBILE } });
    expect(shared.effect).toEqual({ kind: 'attempt' });
  });
});

describe('binding refuses, and keeps nothing', () => {
  const opened = step(MENU, text(faServices.military.title), NOW, catalogue, botApi());

  it('refuses a forwarded contact (someone else’s card)', () => {
    const forwarded = step(opened.state, contact(MOBILE, 'other'), NOW, catalogue, botApi());
    expect(lastText(forwarded)).toBe(`${faIdentity.otherContact}\n\n${faIdentity.askContact}`);
    expect(forwarded.state).toMatchObject({ binding: { stage: 'contact', wrongTries: 1 } });
    expect(forwarded.effect).toBeUndefined();
  });

  it('refuses a number typed instead of shared, with the reason', () => {
    const typed = step(opened.state, text('۰۹۰۲۲۰۰۲۵۸۰'), NOW, catalogue, botApi());
    expect(lastText(typed)).toBe(`${faIdentity.typedNumber}\n\n${faIdentity.askContact}`);
    expect(typed.effect).toBeUndefined();
  });

  it('refuses a card whose owner the messenger cannot tell where no code can be sent (Soroush legacy)', () => {
    const legacy = step(opened.state, contact(MOBILE, 'unknown'), NOW, catalogue, botApi());
    expect(legacy.state.at).toBe('menu');
    expect(lastText(legacy)).toContain(faIdentity.notHere);
  });

  it('re-asks a wrong code, and ends the attempt at the third', () => {
    const sent = step(opened.state, contact(MOBILE, 'unknown'), NOW, catalogue, gap()).state;
    const first = step(sent, text('111111'), NOW, catalogue, gap('111111'));
    expect(lastText(first)).toBe(`${faIdentity.wrongCode}\n\n${faIdentity.askCode}`);
    const second = step(first.state, text('نمی‌دانم'), NOW, catalogue, gap());
    expect(second.state).toMatchObject({ binding: { stage: 'code', wrongTries: 2 } });
    const third = step(second.state, text('222222'), NOW, catalogue, gap('222222'));
    expect(third.state.at).toBe('menu');
    expect(lastText(third)).toContain(faIdentity.tooManyWrongCodes);
  });

  it('ends the attempt when the code has expired, even if right', () => {
    const sent = step(opened.state, contact(MOBILE, 'unknown'), NOW, catalogue, gap()).state;
    const late = step(sent, text(CODE), NOW + CODE_TTL_MS + 1, catalogue, gap(CODE));
    expect(late.state.at).toBe('menu');
    expect(lastText(late)).toContain(faIdentity.codeExpired);
  });

  it('gives the national code’s own reason when it is wrong', () => {
    const wrong = step(uptoNationalCode(), text('1234567890'), NOW, catalogue, gap());
    expect(lastText(wrong)).toBe(`${faValidation.nationalCodeCheckDigit}\n\n${faIdentity.askNationalCode}`);
    expect(wrong.call).toBeNull();
  });

  it('says so clearly on a Shahkar mismatch', () => {
    const checking = step(uptoNationalCode(), text('0684159414'), NOW, catalogue, gap());
    const mismatch = settle(checking.state, { kind: 'ok', result: { matched: false } }, catalogue, gap());
    expect(mismatch.state.at).toBe('menu');
    expect(lastText(mismatch)).toContain(faIdentity.mismatch);
    expect(mismatch.effect).toBeUndefined();
    expect(mismatch.call).toBeNull();
  });

  it('refuses past the chat’s attempt limit, and when the national code’s limit held the check back', () => {
    const limited = step(
      MENU,
      text(faServices.military.title),
      NOW,
      catalogue,
      gap(null, {
        bindingAttempts: MAX_BINDING_ATTEMPTS,
      }),
    );
    expect(limited.state.at).toBe('menu');
    expect(lastText(limited)).toContain(faIdentity.tooManyAttempts);
    const checking = step(uptoNationalCode(), text(NATIONAL_CODE), NOW, catalogue, gap());
    const held = settle(checking.state, { kind: 'limited' }, catalogue, gap());
    expect(lastText(held)).toContain(faIdentity.tooManyAttempts);
    expect(held.effect).toBeUndefined();
  });

  it('lets the citizen leave with «لغو» at any stage', () => {
    const left = step(uptoNationalCode(), text('لغو'), NOW, catalogue, gap());
    expect(left.state.at).toBe('menu');
    expect(lastText(left)).toContain(fa.cancelled);
  });
});

describe('the codes one number gets', () => {
  it('claims a send before a code goes, and says why not when the number has had its share', () => {
    const opened = step(MENU, text(faServices.military.title), NOW, catalogue, gap());
    const card = contact(MOBILE, 'unknown');
    expect(step(opened.state, card, NOW, catalogue, gap(null, { codeAllowed: null })).needs).toBe('code');
    const refused = step(opened.state, card, NOW, catalogue, gap(null, { codeAllowed: false }));
    expect(refused.state.at).toBe('menu');
    expect(lastText(refused)).toContain(faIdentity.codesLimited);
    expect(refused.replies.some((reply) => reply.to !== undefined)).toBe(false);
    expect(refused.effect).toBeUndefined();
  });

  it("needs no claim where the messenger says the card is the sender's own", () => {
    const opened = step(MENU, text(faServices.military.title), NOW, catalogue, botApi());
    const own = step(opened.state, contact(MOBILE, 'own'), NOW, catalogue, botApi({ codeAllowed: null }));
    expect(own.needs).toBeUndefined();
    expect(own.effect).toEqual({ kind: 'attempt' });
  });
});

describe('the account, read only by the steps that use it', () => {
  const unread = (typed: string | null = null) => ({ ...gap(typed), account: null });

  it('asks for the account to open a personal service, and decides once it is given', () => {
    const first = step(MENU, text(faServices.military.title), NOW, catalogue, unread());
    expect(first).toEqual({ state: MENU, replies: [], call: null, needs: 'account' });
    const second = step(MENU, text(faServices.military.title), NOW, catalogue, gap());
    expect(second.needs).toBeUndefined();
    expect(second.state.at).toBe('binding');
  });

  it('needs no account for a public service, its form, or a wrong answer', () => {
    const opened = step(MENU, text(faServices.postcode.title), NOW, catalogue, unread());
    expect(opened.needs).toBeUndefined();
    const wrong = step(opened.state, text('0123456789'), NOW, catalogue, unread());
    expect(wrong.needs).toBeUndefined();
    const answered = step(opened.state, text('1193653471'), NOW, catalogue, unread());
    expect(answered.needs).toBeUndefined();
    expect(answered.call?.service).toBe('postcode');
  });

  it('asks for it to count attempts when a contact card comes, not while a code or national code is typed', () => {
    const opened = step(MENU, text(faServices.military.title), NOW, catalogue, gap());
    expect(step(opened.state, contact(MOBILE, 'unknown'), NOW, catalogue, unread()).needs).toBe('account');
    const atCode = step(opened.state, contact(MOBILE, 'unknown'), NOW, catalogue, gap()).state;
    expect(step(atCode, text('۴۸۲ ۹۱۳'), NOW, catalogue, unread(CODE)).needs).toBeUndefined();
    expect(step(uptoNationalCode(), text(NATIONAL_CODE), NOW, catalogue, unread()).call?.service).toBe(SHAHKAR.id);
  });
});

describe('«حساب من»', () => {
  const identity = { nationalCode: NATIONAL_CODE, mobile: MOBILE };

  it('shows the bound identity masked, with «اشتراک‌های من» and «حذف اطلاعات من»', () => {
    const account = step(MENU, text(faIdentity.accountButton), NOW, catalogue, gap(null, { identity }));
    expect(lastText(account)).toContain('******0899');
    expect(lastText(account)).toContain('0902***2580');
    expect(lastText(account)).not.toContain(NATIONAL_CODE);
    expect(account.replies[0]?.inline?.flat().map((b) => b.label)).toEqual([
      faNotices.mineButton,
      faIdentity.eraseButton,
    ]);
  });

  it('erases only after the explicit yes', () => {
    const asked = step(MENU, text(faIdentity.eraseButton), NOW, catalogue, gap(null, { identity }));
    expect(asked.state.at).toBe('confirm-erase');
    const no = step(
      asked.state,
      event({ kind: 'button', button: { callbackId: 'c', value: faIdentity.eraseNo } }),
      NOW,
      catalogue,
    );
    expect(no.effect).toBeUndefined();
    expect(lastText(no)).toContain(faIdentity.notErased);
    const yes = step(
      asked.state,
      event({ kind: 'button', button: { callbackId: 'c', value: faIdentity.eraseYes } }),
      NOW,
      catalogue,
    );
    expect(yes.effect).toEqual({ kind: 'erase' });
    expect(lastText(yes)).toContain(faIdentity.erased);
  });
});

describe('the contact button in each messenger', () => {
  const reply: Reply = {
    text: faIdentity.askContact,
    keyboard: [[{ label: faIdentity.shareButton, value: faIdentity.shareButton, requestContact: true }]],
  };

  it('is Gap’s `$contact` key', () => {
    const keyboard = JSON.parse(renderGapMessage('1', reply).get('reply_keyboard') ?? '{}');
    expect(keyboard.keyboard).toEqual([[{ $contact: faIdentity.shareButton }]]);
  });

  it('is a `request_contact` button on the Bot API', () => {
    const [message] = renderBotApiMessages('1', reply, 4000);
    expect(message?.reply_markup).toMatchObject({
      keyboard: [[{ text: faIdentity.shareButton, request_contact: true }]],
    });
  });

  it('does not exist on Soroush legacy, where the engine says at once that binding cannot be done', () => {
    const [message] = renderSoroushLegacyMessages('1', reply, 4000, NOW);
    expect(message?.keyboard).toBeUndefined();
    const legacy = { ...botApi(), contactButton: false };
    const opened = step(MENU, text(faServices.military.title), NOW, catalogue, legacy);
    expect(opened.state).toEqual(MENU);
    expect(lastText(opened)).toBe(`${faIdentity.notHere}\n\n${fa.menuPrompt}`);
  });
});

describe('a plate typed at the menu', () => {
  const PLATE = '۱۲ ب ۳۴۵ ایران ۶۷';

  it('binds first, then asks for the fines of that plate without asking for it again', () => {
    const opened = step(MENU, text(`خلافی ${PLATE}`), NOW, catalogue, botApi());
    expect(opened.state).toMatchObject({ at: 'binding', service: 'traffic-fines', typed: '12 ب 345 ایران 67' });
    const shared = step(opened.state, contact(MOBILE, 'own'), NOW, catalogue, botApi());
    const checking = step(shared.state, text(NATIONAL_CODE), NOW, catalogue, botApi());
    expect(checking.call?.service).toBe(SHAHKAR.id);
    const bound = settle(checking.state, { kind: 'ok', result: { matched: true } }, catalogue, botApi());
    expect(bound.state).toMatchObject({ at: 'calling', service: 'traffic-fines', answers: { plate: '120234567' } });
    expect(bound.call?.body).toMatchObject({ plateNumber: '120234567' });
    expect(bound.replies.map((reply) => reply.text)).toEqual([faIdentity.bound]);
  });

  it('opens the fines with the plate answered for a citizen already bound', () => {
    const identity = { nationalCode: NATIONAL_CODE, mobile: MOBILE };
    const result = step(MENU, text(PLATE), NOW, catalogue, botApi({ account: { identity, bindingAttempts: 0 } }));
    expect(result.call?.body).toMatchObject({ plateNumber: '120234567' });
  });
});
