import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { settle, step } from '../../../src/conversation/engine.ts';
import type { ConversationState } from '../../../src/conversation/state.ts';
import { fa } from '../../../src/i18n/fa.ts';
import { faIdentity } from '../../../src/i18n/fa-identity.ts';
import { faServices } from '../../../src/i18n/fa-services.ts';
import { faValidation } from '../../../src/i18n/fa-validation.ts';
import { type Catalogue, catalogue, createCatalogue } from '../../../src/services/catalogue.ts';
import { postcodeService } from '../../../src/services/postcode.ts';
import type { Service } from '../../../src/services/types.ts';
import type { InboundEvent } from '../../../src/types.ts';
import { inbound } from '../../support/events.ts';

const NOW = Date.UTC(2026, 10, 29, 12);
const SECOND = 1_000;
const MINUTE = 60 * SECOND;

const text = (data: string) => inbound(NOW, { text: data });

const press = (value: string) =>
  inbound(NOW, { kind: 'button', button: { callbackId: 'cb-1', value }, dedupeKey: value });

/** A made-up service with a choice first and a typed answer second, to exercise what postcode lacks. */
const finesService: Service<{ total: number }> = {
  id: 'fines',
  title: 'خلافی',
  phrases: [],
  category: 'خودرو',
  identity: false,
  inputs: [
    {
      name: 'vehicle',
      prompt: 'خودرو یا موتورسیکلت؟',
      choices: [
        { label: 'خودرو', value: 'car' },
        { label: 'موتورسیکلت', value: 'motorcycle' },
      ],
      schema: v.picklist(['car', 'motorcycle']),
    },
    {
      name: 'plate',
      prompt: 'پلاک را بنویسید.',
      schema: v.pipe(v.string(), v.regex(/^\d{8}$/, 'پلاک هشت رقم است.')),
    },
  ],
  upstream: {
    provider: 'gsb',
    operation: 'police/fines/byPlate',
    pid: 'test-fines',
    body: (answers) => ({ vehicle: answers.vehicle ?? '', plate: answers.plate ?? '' }),
    result: v.object({ total: v.number() }),
  },
  render: (result) => `جمع: ${result.total}`,
  notFound: 'خلافی ندارد.',
};
const finesFirst = finesService.inputs[0]!;
const finesSecond = finesService.inputs[1]!;
const testCatalogue = createCatalogue([finesService as Service, postcodeService as Service]);

const say = (state: ConversationState | null, data: string, at = NOW, within: Catalogue = catalogue) =>
  step(state, text(data), at, within);
const sayFines = (state: ConversationState | null, data: string) => say(state, data, NOW, testCatalogue);
const pressFines = (state: ConversationState, value: string) => step(state, press(value), NOW, testCatalogue);

type Result = ReturnType<typeof say>;
const lastReply = (result: Result) => result.replies.at(-1);
const keyboardLabels = (result: Result) =>
  lastReply(result)
    ?.keyboard?.flat()
    .map((b) => b.label);
const inlineButtons = (result: Result) => lastReply(result)?.inline;

const atMenu: ConversationState = { at: 'menu', seenAt: NOW };
const postcodeForm: ConversationState = { at: 'form', service: 'postcode', answers: {}, wrongTries: 0, seenAt: NOW };
const vehicleQuestion: ConversationState = { at: 'form', service: 'fines', answers: {}, wrongTries: 0, seenAt: NOW };
const plateQuestion: ConversationState = {
  at: 'form',
  service: 'fines',
  answers: { vehicle: 'car' },
  wrongTries: 0,
  seenAt: NOW,
};
const FORM_KEYBOARD = [fa.backButton, fa.helpButton, fa.cancelButton];

function callingPostcode(postcode: string, seenAt = NOW): ConversationState {
  return { at: 'calling', service: 'postcode', answers: { postcode }, seenAt };
}

const address = {
  province: 'تهران',
  township: 'تهران',
  locality: 'یوسف‌آباد',
  street: 'خیابان فتحی شقاقی',
  street2: 'کوچه هفتم',
  houseNumber: '12',
  floor: '3',
  unit: '5',
  buildingName: 'ساختمان نگین',
};

describe('the conversation engine', () => {
  it('greets a new chat with the main menu on a keyboard', () => {
    const result = say(null, 'سلام');
    expect(result.state).toEqual(atMenu);
    expect(result.replies).toHaveLength(1);
    expect(result.replies[0]?.text).toContain(fa.greeting);
    expect(keyboardLabels(result)).toContain(faServices.postcode.title);
    expect(result.call).toBeNull();
  });

  it('asks for the postcode when the service is chosen from the menu', () => {
    const result = say(atMenu, 'نشانی از کد پستی');
    expect(result.state).toEqual(postcodeForm);
    expect(result.replies[0]?.text).toBe(faServices.postcode.prompt);
  });

  it('gives the reason in Persian and asks again when the postcode is wrong', () => {
    const result = say(postcodeForm, '0123456789');
    expect(result.state).toEqual({ ...postcodeForm, wrongTries: 1 });
    expect(result.call).toBeNull();
    expect(result.replies[0]?.text).toBe(`${faValidation.postcodeInvalid}\n\n${faServices.postcode.prompt}`);
  });

  it('calls the bus with ASCII digits when the postcode is typed in Persian digits', () => {
    const result = say(postcodeForm, '۱۱۹۳۶۵۳۴۷۱');
    expect(result.state).toEqual(callingPostcode('1193653471'));
    expect(result.call).toEqual({
      service: 'postcode',
      operation: 'post/gnaf/addressByPostcode',
      pid: 'pishkhan-postcode-v1',
      body: { postcode: '1193653471' },
    });
  });

  it('shows the address in Persian digits and returns to the menu, remembering which service answered', () => {
    const calling = callingPostcode('1193653471');
    const result = settle(calling, { kind: 'ok', result: address }, catalogue);
    expect(result.state).toEqual({ at: 'answered', service: 'postcode', seenAt: NOW });
    const answer = result.replies[0]?.text ?? '';
    expect(answer).toContain('۱۱۹۳۶۵۳۴۷۱');
    expect(answer).toContain('استان تهران، شهرستان تهران');
    expect(answer).toContain('خیابان فتحی شقاقی، کوچه هفتم، پلاک ۱۲، طبقه ۳، واحد ۵');
    expect(answer).toContain('ساختمان نگین');
    expect(keyboardLabels(result)).toContain(faServices.postcode.title);
  });

  it('tells the citizen honestly when there is no record, the bus refused, or it is down', () => {
    const calling = callingPostcode('9999999999');
    expect(settle(calling, { kind: 'not-found' }, catalogue).replies[0]?.text).toContain(faServices.postcode.notFound);
    expect(settle(calling, { kind: 'rejected' }, catalogue).replies[0]?.text).toContain(fa.upstream.rejected);
    expect(settle(calling, { kind: 'unavailable' }, catalogue).replies[0]?.text).toContain(fa.upstream.unavailable);
  });

  it('does not show an answer whose shape it does not recognise', () => {
    const calling = callingPostcode('1193653471');
    const result = settle(calling, { kind: 'ok', result: { province: 7 } }, catalogue);
    expect(result.replies[0]?.text).toContain(fa.upstream.unreadable);
  });

  it('says it did not understand, and shows the menu, for an unknown choice', () => {
    const result = say(atMenu, 'چیز دیگری');
    expect(result.state).toEqual(atMenu);
    expect(result.replies[0]?.text).toContain(fa.unknownChoice);
  });

  it('answers a message that is not text without losing the form', () => {
    const result = step(postcodeForm, { ...text(''), kind: 'other', text: null }, NOW, catalogue);
    expect(result.state).toEqual(postcodeForm);
    expect(result.replies[0]?.text).toBe(fa.unsupportedMessage);
  });

  it('keeps a state that survives a round trip through JSON, as the store keeps it', () => {
    const results = [say(null, 'سلام'), sayFines(vehicleQuestion, 'دوچرخه'), say(postcodeForm, '۱۱۹۳۶۵۳۴۷۱')];
    for (const { state } of results) expect(JSON.parse(JSON.stringify(state))).toEqual(state);
  });
});

describe('the words that steer a conversation', () => {
  it.each(['منو', 'منوی اصلی', '/start', '/menu', 'شروع', ' منوي  اصلي ', '/Start'])(
    'returns to the menu from a form on «%s»',
    (word) => {
      const result = say(postcodeForm, word);
      expect(result.state).toEqual(atMenu);
      expect(result.replies[0]?.text).toBe(fa.menuPrompt);
      expect(keyboardLabels(result)).toContain(faServices.postcode.title);
    },
  );

  it.each(['لغو', 'انصراف', '/cancel'])('cancels the form on «%s» with a confirmation and the menu', (word) => {
    const result = sayFines(plateQuestion, word);
    expect(result.state).toEqual(atMenu);
    expect(result.call).toBeNull();
    expect(result.replies[0]?.text).toBe(`${fa.cancelled}\n\n${fa.menuPrompt}`);
    expect(keyboardLabels(result)).toContain(finesService.title);
  });

  it('shows the menu without a confirmation when «لغو» comes with no form to cancel', () => {
    const result = say(atMenu, 'لغو');
    expect(result.state).toEqual(atMenu);
    expect(result.replies[0]?.text).toBe(fa.menuPrompt);
  });

  it.each(['بازگشت', 'قبلی', '/back'])('goes one question back on «%s», forgetting that answer', (word) => {
    const result = sayFines(plateQuestion, word);
    expect(result.state).toEqual(vehicleQuestion);
    expect(result.replies[0]?.text).toBe(finesFirst.prompt);
    expect(
      inlineButtons(result)
        ?.flat()
        .map((b) => b.label),
    ).toEqual(['خودرو', 'موتورسیکلت']);
  });

  it('goes back from the first question to the menu', () => {
    const result = say(postcodeForm, 'بازگشت');
    expect(result.state).toEqual(atMenu);
    expect(result.replies[0]?.text).toBe(fa.menuPrompt);
  });

  it('lets the citizen answer again after going back', () => {
    const back = sayFines(plateQuestion, 'بازگشت');
    const result = pressFines(back.state, 'motorcycle');
    expect(result.state).toEqual({ ...plateQuestion, answers: { vehicle: 'motorcycle' } });
  });

  it.each(['راهنما', 'کمک', '/help'])('explains the postcode question with an example on «%s»', (word) => {
    const result = say({ ...postcodeForm, wrongTries: 1 }, word);
    const { help, prompt } = faServices.postcode;
    expect(result.replies[0]?.text).toBe(`${help}\n${fa.formControls}\n\n${prompt}`);
    expect(result.state).toEqual({ ...postcodeForm, wrongTries: 1 });
    expect(result.call).toBeNull();
  });

  it('explains how to steer the form when a question has no help of its own', () => {
    const result = sayFines(plateQuestion, 'راهنما');
    expect(result.replies[0]?.text).toBe(`${fa.formControls}\n\n${finesSecond.prompt}`);
    expect(result.state).toEqual(plateQuestion);
  });

  it('explains how the bot works, and shows the menu, on «راهنما» outside a form', () => {
    const result = say(atMenu, 'راهنما');
    expect(result.state).toEqual(atMenu);
    expect(result.replies[0]?.text).toBe(`${fa.howItWorks}\n\n${fa.menuPrompt}`);
    expect(keyboardLabels(result)).toContain(faServices.postcode.title);
  });
});

describe('wrong answers', () => {
  it('returns to the menu with a kind word after three wrong answers in a row', () => {
    const first = say(postcodeForm, '123');
    const second = say(first.state, 'abc');
    expect(second.state).toEqual({ ...postcodeForm, wrongTries: 2 });
    const third = say(second.state, '0123456789');
    expect(third.state).toEqual(atMenu);
    expect(third.call).toBeNull();
    expect(third.replies[0]?.text).toBe(`${fa.tooManyTries}\n\n${fa.menuPrompt}`);
    expect(keyboardLabels(third)).toContain(faServices.postcode.title);
  });

  it('counts afresh for the next question once a question is answered right', () => {
    const twiceWrong = sayFines(sayFines(vehicleQuestion, 'دوچرخه').state, 'کامیون');
    expect(twiceWrong.state).toEqual({ ...vehicleQuestion, wrongTries: 2 });
    const answered = sayFines(twiceWrong.state, 'خودرو');
    expect(answered.state).toEqual(plateQuestion);
    const twiceWrongAgain = sayFines(sayFines(answered.state, '12').state, '34');
    expect(twiceWrongAgain.state).toEqual({ ...plateQuestion, wrongTries: 2 });
    expect(sayFines(twiceWrongAgain.state, '56').state).toEqual(atMenu);
  });

  it('does not count asking for help as a wrong answer', () => {
    const twiceWrong: ConversationState = { ...postcodeForm, wrongTries: 2 };
    const helped = say(twiceWrong, 'راهنما');
    expect(say(helped.state, '۱۱۹۳۶۵۳۴۷۱').call).not.toBeNull();
  });
});

describe('a quiet chat', () => {
  it('carries on with the form 14 minutes 59 seconds after the last step', () => {
    const later = NOW + 14 * MINUTE + 59 * SECOND;
    const result = say(postcodeForm, '۱۱۹۳۶۵۳۴۷۱', later);
    expect(result.state).toEqual(callingPostcode('1193653471', later));
    expect(result.call).not.toBeNull();
  });

  it('starts over with a greeting 15 minutes 1 second after the last step, dropping the form', () => {
    const later = NOW + 15 * MINUTE + SECOND;
    const result = say(postcodeForm, '۱۱۹۳۶۵۳۴۷۱', later);
    expect(result.state).toEqual({ at: 'menu', seenAt: later });
    expect(result.call).toBeNull();
    expect(result.replies[0]?.text).toBe(`${fa.greeting}\n\n${fa.formExpired}\n\n${fa.menuPrompt}`);
  });

  it('greets a chat that went quiet at the menu without talk of a dropped form', () => {
    const result = say(atMenu, 'نشانی از کد پستی', NOW + 16 * MINUTE);
    expect(result.replies[0]?.text).toBe(`${fa.greeting}\n\n${fa.menuPrompt}`);
  });

  it('measures quiet from the last step, not from the start of the form', () => {
    const first = say(atMenu, 'نشانی از کد پستی', NOW + 10 * MINUTE);
    const second = say(first.state, 'راهنما', NOW + 20 * MINUTE);
    expect(second.state).toEqual({ ...postcodeForm, seenAt: NOW + 20 * MINUTE });
  });
});

describe('choices inside a form', () => {
  it('offers the choices as inline buttons under the question', () => {
    const result = sayFines(atMenu, finesService.title);
    expect(result.state).toEqual(vehicleQuestion);
    expect(result.replies[0]?.text).toBe(finesFirst.prompt);
    expect(inlineButtons(result)).toEqual([
      [
        { label: 'خودرو', value: 'car' },
        { label: 'موتورسیکلت', value: 'motorcycle' },
      ],
    ]);
  });

  it('takes a pressed choice by its value and asks the next question', () => {
    const result = pressFines(vehicleQuestion, 'car');
    expect(result.state).toEqual(plateQuestion);
    expect(result.replies[0]?.text).toBe(finesSecond.prompt);
    expect(inlineButtons(result)).toBeUndefined();
  });

  it.each([
    ['its label', 'خودرو', 'car'],
    ['its value', 'motorcycle', 'motorcycle'],
    ['its label in Arabic letter forms', 'موتورسيكلت', 'motorcycle'],
  ])('takes a choice typed as %s', (_how, typed, value) => {
    expect(sayFines(vehicleQuestion, typed).state).toEqual({ ...plateQuestion, answers: { vehicle: value } });
  });

  it('says so, and asks again with the buttons, when typed text matches no choice', () => {
    const result = sayFines(vehicleQuestion, 'دوچرخه');
    expect(result.state).toEqual({ ...vehicleQuestion, wrongTries: 1 });
    expect(result.replies[0]?.text).toBe(`${fa.notAChoice}\n\n${finesFirst.prompt}`);
    expect(
      inlineButtons(result)
        ?.flat()
        .map((b) => b.value),
    ).toEqual(['car', 'motorcycle']);
  });

  it('asks again, counting no mistake, when a button of an earlier question is pressed', () => {
    const result = pressFines(plateQuestion, 'motorcycle');
    expect(result.state).toEqual(plateQuestion);
    expect(result.replies[0]?.text).toBe(`${fa.staleButton}\n\n${finesSecond.prompt}`);
  });

  it('calls the bus with the chosen value once the form is complete', () => {
    const result = sayFines(pressFines(vehicleQuestion, 'car').state, '12345678');
    expect(result.call).toEqual({
      service: 'fines',
      operation: 'police/fines/byPlate',
      pid: 'test-fines',
      body: { vehicle: 'car', plate: '12345678' },
    });
  });
});

describe('keyboards', () => {
  it('shows «بازگشت», «راهنما» and «لغو» on the reply keyboard under every question', () => {
    const asked = sayFines(atMenu, finesService.title);
    const wrong = sayFines(asked.state, 'دوچرخه');
    const next = pressFines(asked.state, 'car');
    const helped = sayFines(next.state, 'راهنما');
    for (const result of [asked, wrong, next, helped]) expect(keyboardLabels(result)).toEqual(FORM_KEYBOARD);
  });

  it('keeps the main menu a reply keyboard of service titles and «حساب من», with no inline buttons', () => {
    const result = sayFines(null, 'سلام');
    expect(keyboardLabels(result)).toEqual([finesService.title, faServices.postcode.title, faIdentity.accountButton]);
    expect(inlineButtons(result)).toBeUndefined();
  });
});

describe('trying again after the bus did not answer', () => {
  const calling = callingPostcode('1193653471');
  const failed = settle(calling, { kind: 'unavailable' }, catalogue);

  it('offers «تلاش دوباره» as a button beside the menu', () => {
    expect(failed.state).toEqual({ ...calling, at: 'retry' });
    expect(inlineButtons(failed)).toEqual([[{ label: fa.retryButton, value: '/retry' }]]);
    expect(keyboardLabels(failed)).toContain(faServices.postcode.title);
  });

  it('does not offer it for an answer that trying again would not change, but the next step instead', () => {
    const next = [
      [
        { label: fa.againButton, value: '/again' },
        { label: fa.menuButton, value: fa.menuButton },
      ],
    ];
    expect(inlineButtons(settle(calling, { kind: 'not-found' }, catalogue))).toEqual(next);
    expect(inlineButtons(settle(calling, { kind: 'rejected' }, catalogue))).toEqual(next);
    expect(settle(calling, { kind: 'rejected' }, catalogue).state).toEqual({
      at: 'answered',
      service: 'postcode',
      seenAt: NOW,
    });
  });

  it('makes the same call again when the button is pressed or its label typed', () => {
    const pressed = step(failed.state, press('/retry'), NOW + MINUTE, catalogue);
    expect(pressed.state).toEqual(callingPostcode('1193653471', NOW + MINUTE));
    expect(pressed.call).toEqual(say(postcodeForm, '1193653471').call);
    expect(say(failed.state, fa.retryButton).call).toEqual(pressed.call);
  });

  it('forgets the failed call once the citizen moves on', () => {
    expect(say(failed.state, 'نشانی از کد پستی').state).toEqual(postcodeForm);
    const moved = say(failed.state, 'منو');
    expect(moved.state).toEqual(atMenu);
    expect(say(moved.state, '/retry').call).toBeNull();
  });
});

describe('the next step after an answer', () => {
  const answered = settle(callingPostcode('1193653471'), { kind: 'ok', result: address }, catalogue);

  it('offers «استعلام دیگر» and «منوی اصلی» on the answer, with the menu on the keyboard', () => {
    expect(inlineButtons(answered)).toEqual([
      [
        { label: fa.againButton, value: '/again' },
        { label: fa.menuButton, value: fa.menuButton },
      ],
    ]);
    expect(keyboardLabels(answered)).toContain(faServices.postcode.title);
  });

  it('opens the same service afresh on «استعلام دیگر», pressed or typed', () => {
    const pressed = step(answered.state, press('/again'), NOW + MINUTE, catalogue);
    expect(pressed.state).toEqual({ ...postcodeForm, seenAt: NOW + MINUTE });
    expect(pressed.replies[0]?.text).toBe(faServices.postcode.prompt);
    expect(say(answered.state, fa.againButton).state).toEqual(postcodeForm);
  });

  it('goes to the menu on «منوی اصلی», and «استعلام دیگر» means nothing there', () => {
    const menu = step(answered.state, press(fa.menuButton), NOW, catalogue);
    expect(menu.state).toEqual(atMenu);
    expect(menu.replies[0]?.text).toBe(fa.menuPrompt);
    expect(say(menu.state, '/again').state).toEqual(atMenu);
  });

  it('offers only «منوی اصلی» after a service that asks nothing, whose answer would be the same again', () => {
    const calling: ConversationState = { at: 'calling', service: 'military', answers: {}, seenAt: NOW };
    const result = settle(calling, { kind: 'not-found' }, catalogue);
    expect(inlineButtons(result)).toEqual([[{ label: fa.menuButton, value: fa.menuButton }]]);
  });
});

describe('a group chat', () => {
  const inGroup = (event: InboundEvent): InboundEvent => ({ ...event, chatId: '-100', privateChat: false });

  it.each(['/start', '/start@pishkhan_bot', '/menu', '/help'])(
    'answers %s with one pointer to a private chat',
    (command) => {
      const result = step(null, inGroup(text(command)), NOW, catalogue);
      expect(result.replies).toEqual([{ text: fa.privateOnly }]);
      expect(result.call).toBeNull();
    },
  );

  it("answers a press of the bot's own button with the pointer too", () => {
    expect(step(null, inGroup(press(fa.menuButton)), NOW, catalogue).replies).toEqual([{ text: fa.privateOnly }]);
  });

  it.each(['سلام', 'منو', faServices.postcode.title, faServices.military.title, faIdentity.accountButton, '/weather'])(
    'says nothing to %s, and opens nothing',
    (said) => {
      const result = step({ at: 'menu', seenAt: NOW }, inGroup(text(said)), NOW, catalogue);
      expect(result).toEqual({ state: { at: 'menu', seenAt: NOW }, replies: [], call: null });
    },
  );

  it('takes no contact card, whoever sent it', () => {
    const card = inGroup({
      ...text(''),
      kind: 'contact',
      text: null,
      contact: { phone: '09121234567', ownership: 'own' },
    });
    expect(step({ at: 'menu', seenAt: NOW }, card, NOW, catalogue).replies).toEqual([]);
  });
});

describe('free text at the menu', () => {
  it('opens the service a citizen names in their own words', () => {
    const result = say(atMenu, 'آدرس از کدپستی میخوام');
    expect(result.state).toEqual(postcodeForm);
    expect(result.replies[0]?.text).toBe(faServices.postcode.prompt);
  });

  it('answers a bare postcode at once, as if the form had asked for it', () => {
    const result = say(atMenu, '۱۱۹۳-۶۵۳-۴۷۱');
    expect(result.state).toEqual(callingPostcode('1193653471'));
    expect(result.call?.body).toEqual({ postcode: '1193653471' });
  });

  it('gives the reason and asks again when the service is named with a wrong identifier', () => {
    const result = say(atMenu, 'کد پستی 0123456780');
    expect(result.state).toEqual({ ...postcodeForm, wrongTries: 1 });
    expect(result.replies[0]?.text).toBe(`${faValidation.postcodeInvalid}\n\n${faServices.postcode.prompt}`);
  });

  it('offers the close services as buttons when none is clearly named, each opening it when pressed', () => {
    const result = say(atMenu, 'برق رفته');
    expect(result.state).toEqual(atMenu);
    expect(result.replies[0]?.text).toBe(fa.whichOne);
    expect(result.replies[0]?.inline).toEqual([[{ label: faServices.bill.title, value: faServices.bill.title }]]);
    expect(step(atMenu, press(faServices.bill.title), NOW, catalogue).state).toMatchObject({
      at: 'form',
      service: 'bill',
    });
  });

  it('sends a national code or a mobile typed at the menu nowhere, and says what it can do', () => {
    for (const [typed, said] of [
      ['0499370899', fa.personalAtMenu.nationalCode],
      ['۰۹۱۲ ۱۲۳ ۴۵۶۷', fa.personalAtMenu.mobile],
    ] as const) {
      const result = say(atMenu, typed);
      expect(result.call).toBeNull();
      expect(result.state).toEqual(atMenu);
      expect(result.replies[0]?.text).toBe(`${said}\n\n${fa.menuPrompt}`);
    }
  });

  it('greets a first message and answers what it asks in the same reply', () => {
    const result = say(null, 'کد پستی ۱۱۹۳۶۵۳۴۷۱');
    expect(result.call?.body).toEqual({ postcode: '1193653471' });
    const named = say(null, 'قبض برق');
    expect(named.state).toMatchObject({ at: 'form', service: 'bill' });
    expect(named.replies[0]?.text).toBe(`${fa.greeting}\n\n${faServices.bill.prompt}`);
  });

  it('takes a word that names a service as the answer to a form question, not as a new choice', () => {
    const billForm: ConversationState = { at: 'form', service: 'bill', answers: {}, wrongTries: 0, seenAt: NOW };
    const result = say(billForm, 'کد پستی');
    expect(result.state).toEqual({ ...billForm, wrongTries: 1 });
    expect(result.replies[0]?.text).toBe(`${faValidation.billIdDigits}\n\n${faServices.bill.prompt}`);
  });
});
