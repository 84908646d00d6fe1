import { describe, expect, it } from 'vitest';
import { settle, step } from '../../../src/conversation/engine.ts';
import { ANONYMOUS, type ConversationState, type StepContext } from '../../../src/conversation/state.ts';
import { fa } from '../../../src/i18n/fa.ts';
import { faNotices } from '../../../src/i18n/fa-notices.ts';
import { catalogue } from '../../../src/services/catalogue.ts';
import { inbound } from '../../support/events.ts';

const NOW = Date.UTC(2026, 11, 6, 9);
const DAY = 24 * 60 * 60_000;
const PLATE = '120234567';
const identity = { nationalCode: '0499370899', mobile: '09022002580' };
const bound: StepContext = { ...ANONYMOUS, account: { identity, bindingAttempts: 0 }, watches: null };

const text = (data: string) => inbound(NOW, { text: data });
const press = (value: string) => inbound(NOW, { kind: 'button', button: { callbackId: 'c', value } });

const fine = (id: string) => ({
  id,
  type: 'دوربین',
  description: 'توقف در محل ممنوع',
  city: 'تهران',
  location: 'خیابان آزادی',
  dateTime: '1405/08/01 10:00',
  amount: 1_000_000,
  billId: null,
  paymentId: null,
  payable: false,
});
const calling: ConversationState = { at: 'calling', service: 'traffic-fines', answers: { plate: PLATE }, seenAt: NOW };
const answered = settle(
  calling,
  { kind: 'ok', result: { totalAmount: 2_000_000, fines: [fine('71'), fine('72')] } },
  catalogue,
  bound,
);
const inlineValues = (result: { replies: { inline?: { value: string }[][] }[] }) =>
  result.replies.flatMap((reply) => (reply.inline ?? []).flat().map((button) => button.value));

describe('«خبرم کن» after an answer', () => {
  it('is offered on a fines answer, which keeps the plate and the fine ids it listed', () => {
    expect(inlineValues(answered)).toContain(faNotices.notifyButton);
    expect(answered.state).toMatchObject({ at: 'answered', watch: { answers: { plate: PLATE }, seen: ['71', '72'] } });
  });

  it('is offered on "no fines" too (nothing seen yet), and not when the bus did not answer', () => {
    const none = settle(calling, { kind: 'not-found' }, catalogue, bound);
    expect(none.state).toMatchObject({ watch: { seen: [] } });
    const failed = settle(calling, { kind: 'unavailable' }, catalogue, bound);
    expect(inlineValues(failed)).not.toContain(faNotices.notifyButton);
  });

  it('is not offered on a service that cannot be watched', () => {
    const postcode: ConversationState = {
      at: 'calling',
      service: 'postcode',
      answers: { postcode: '1193653471' },
      seenAt: NOW,
    };
    const result = settle(postcode, { kind: 'not-found' }, catalogue, bound);
    expect(inlineValues(result)).not.toContain(faNotices.notifyButton);
    expect(result.state).not.toHaveProperty('watch');
  });

  it('explains first, and subscribes only on the yes, for the bound identity', () => {
    const explained = step(answered.state, press(faNotices.notifyButton), NOW, catalogue, bound);
    expect(explained.state.at).toBe('confirm-watch');
    expect(explained.effect).toBeUndefined();
    expect(explained.replies[0]?.text).toContain('۹۰ روز');
    const no = step(explained.state, press(faNotices.noButton), NOW, catalogue, bound);
    expect(no.effect).toBeUndefined();
    expect(no.replies[0]?.text).toBe(`${faNotices.notSubscribed}\n\n${fa.menuPrompt}`);
    const yes = step(explained.state, press(faNotices.yesButton), NOW, catalogue, bound);
    expect(yes.effect).toMatchObject({
      kind: 'watch',
      service: 'traffic-fines',
      watch: { answers: { plate: PLATE }, seen: ['71', '72'] },
      identity,
    });
    expect(yes.replies[0]?.text).toBe(`${faNotices.subscribed}\n\n${fa.menuPrompt}`);
    expect(yes.effect?.kind === 'watch' && yes.effect.otherwise[0]?.text).toBe(`${faNotices.full}\n\n${fa.menuPrompt}`);
  });

  it('reads the account before subscribing, when the processor has not yet', () => {
    const explained = step(answered.state, press(faNotices.notifyButton), NOW, catalogue, bound);
    const unread = step(explained.state, press(faNotices.yesButton), NOW, catalogue, { ...bound, account: null });
    expect(unread.needs).toBe('account');
  });
});

describe('a subscription button', () => {
  const states: (ConversationState | null)[] = [
    null,
    { at: 'menu', seenAt: NOW },
    { at: 'form', service: 'traffic-fines', answers: {}, wrongTries: 0, seenAt: NOW },
    { at: 'menu', seenAt: NOW - 30 * DAY },
  ];

  it.each(states)('ends its subscription whatever the chat is doing (%o)', (state) => {
    const result = step(state, press('notice:stop:3f2a-77'), NOW, catalogue, bound);
    expect(result.effect).toEqual({ kind: 'unwatch', id: '3f2a-77' });
    expect(result.replies[0]?.text).toBe(`${faNotices.cancelled}\n\n${fa.menuPrompt}`);
  });

  it('renews, saying otherwise when the subscription is gone', () => {
    const result = step(null, press('notice:renew:3f2a-77'), NOW, catalogue, bound);
    expect(result.effect).toMatchObject({ kind: 'renew', id: '3f2a-77' });
    expect(result.effect?.kind === 'renew' && result.effect.otherwise[0]?.text).toContain(faNotices.gone);
  });

  it('is only a press: the same words typed, or a malformed value, act on nothing', () => {
    for (const event of [
      text('notice:stop:3f2a'),
      press('notice:stop:'),
      press('notice:drop:3f2a'),
      press('notice:stop:a b'),
    ]) {
      expect(step({ at: 'menu', seenAt: NOW }, event, NOW, catalogue, bound).effect).toBeUndefined();
    }
  });
});

describe('«اشتراک‌های من»', () => {
  it('reads the subscriptions first, then lists each with its days left and a button that ends it', () => {
    const menu: ConversationState = { at: 'menu', seenAt: NOW };
    expect(step(menu, text(faNotices.mineButton), NOW, catalogue, bound).needs).toBe('watches');
    const watches = [
      { id: 'a', service: 'traffic-fines', answers: { plate: PLATE }, expiresAt: NOW + 89.5 * DAY },
      { id: 'b', service: 'traffic-fines', answers: { plate: '991233456' }, expiresAt: NOW + 3 * DAY },
    ];
    const listed = step(menu, text(faNotices.mineButton), NOW, catalogue, { ...bound, watches });
    const [heading, first, second] = listed.replies[0]?.text.split('\n') ?? [];
    expect(heading).toBe(faNotices.heading);
    expect(first).toMatch(/^۱\. خلافی پلاک .*۹۰ روز دیگر$/);
    expect(second).toMatch(/^۲\. خلافی پلاک .*۳ روز دیگر$/);
    expect(inlineValues(listed)).toEqual(['notice:stop:a', 'notice:stop:b']);
  });

  it('says there are none, and how to make one', () => {
    const listed = step({ at: 'menu', seenAt: NOW }, text(faNotices.mineButton), NOW, catalogue, {
      ...bound,
      watches: [],
    });
    expect(listed.replies[0]?.text).toBe(`${faNotices.none}\n\n${fa.menuPrompt}`);
  });
});
