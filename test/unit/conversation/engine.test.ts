import { describe, expect, it } from 'vitest';
import { settle, step } from '../../../src/conversation/engine.ts';
import type { ConversationState } from '../../../src/conversation/state.ts';
import { fa } from '../../../src/i18n/fa.ts';
import { faServices } from '../../../src/i18n/fa-services.ts';
import { faValidation } from '../../../src/i18n/fa-validation.ts';
import { catalogue } from '../../../src/services/catalogue.ts';
import type { InboundEvent } from '../../../src/types.ts';

const NOW = Date.UTC(2026, 10, 29, 12);

function text(data: string): InboundEvent {
  return {
    channel: 'gap',
    chatId: '1',
    userId: null,
    kind: 'text',
    text: data,
    button: null,
    dedupeKey: data,
    receivedAt: NOW,
  };
}

const say = (state: ConversationState | null, data: string) => step(state, text(data), NOW, catalogue);
const menuLabels = (result: ReturnType<typeof say>) => result.replies.at(-1)?.keyboard?.flat().map((b) => b.label);
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
    expect(result.state).toEqual({ at: 'menu' });
    expect(result.replies).toHaveLength(1);
    expect(result.replies[0]?.text).toContain(fa.greeting);
    expect(menuLabels(result)).toContain(faServices.postcode.title);
    expect(result.call).toBeNull();
  });

  it('asks for the postcode when the service is chosen from the menu', () => {
    const result = say({ at: 'menu' }, 'نشانی از کد پستی');
    expect(result.state).toEqual({ at: 'form', service: 'postcode', answers: {} });
    expect(result.replies[0]?.text).toBe(faServices.postcode.prompt);
    expect(menuLabels(result)).toEqual([fa.menuButton]);
  });

  it('gives the reason in Persian and asks again when the postcode is wrong', () => {
    const form: ConversationState = { at: 'form', service: 'postcode', answers: {} };
    const result = say(form, '0123456789');
    expect(result.state).toEqual(form);
    expect(result.call).toBeNull();
    expect(result.replies[0]?.text).toBe(`${faValidation.postcodeInvalid}\n\n${faServices.postcode.prompt}`);
  });

  it('calls the bus with ASCII digits when the postcode is typed in Persian digits', () => {
    const result = say({ at: 'form', service: 'postcode', answers: {} }, '۱۱۹۳۶۵۳۴۷۱');
    expect(result.state).toEqual({ at: 'calling', service: 'postcode', answers: { postcode: '1193653471' } });
    expect(result.call).toEqual({
      service: 'postcode',
      operation: 'post/gnaf/addressByPostcode',
      pid: 'pishkhan-postcode-v1',
      body: { postcode: '1193653471' },
    });
  });

  it('shows the address in Persian digits and returns to the menu', () => {
    const calling: ConversationState = { at: 'calling', service: 'postcode', answers: { postcode: '1193653471' } };
    const result = settle(calling, { kind: 'ok', result: address }, catalogue);
    expect(result.state).toEqual({ at: 'menu' });
    const answer = result.replies[0]?.text ?? '';
    expect(answer).toContain('۱۱۹۳۶۵۳۴۷۱');
    expect(answer).toContain('استان تهران، شهرستان تهران');
    expect(answer).toContain('خیابان فتحی شقاقی، کوچه هفتم، پلاک ۱۲، طبقه ۳، واحد ۵');
    expect(answer).toContain('ساختمان نگین');
    expect(menuLabels(result)).toContain(faServices.postcode.title);
  });

  it('tells the citizen honestly when there is no record, the bus refused, or it is down', () => {
    const calling: ConversationState = { at: 'calling', service: 'postcode', answers: { postcode: '9999999999' } };
    expect(settle(calling, { kind: 'not-found' }, catalogue).replies[0]?.text).toContain(faServices.postcode.notFound);
    expect(settle(calling, { kind: 'rejected' }, catalogue).replies[0]?.text).toContain(fa.upstream.rejected);
    expect(settle(calling, { kind: 'unavailable' }, catalogue).replies[0]?.text).toContain(fa.upstream.unavailable);
  });

  it('does not show an answer whose shape it does not recognise', () => {
    const calling: ConversationState = { at: 'calling', service: 'postcode', answers: { postcode: '1193653471' } };
    const result = settle(calling, { kind: 'ok', result: { province: 7 } }, catalogue);
    expect(result.replies[0]?.text).toContain(fa.upstream.unreadable);
  });

  it.each(['منو', 'منوی اصلی', '/start', ' منوي  اصلي '])('returns to the menu from a form on «%s»', (word) => {
    const result = say({ at: 'form', service: 'postcode', answers: {} }, word);
    expect(result.state).toEqual({ at: 'menu' });
    expect(menuLabels(result)).toContain(faServices.postcode.title);
  });

  it('says it did not understand, and shows the menu, for an unknown choice', () => {
    const result = say({ at: 'menu' }, 'چیز دیگری');
    expect(result.state).toEqual({ at: 'menu' });
    expect(result.replies[0]?.text).toContain(fa.unknownChoice);
  });

  it('answers a message that is not text without losing the form', () => {
    const form: ConversationState = { at: 'form', service: 'postcode', answers: {} };
    const result = step(form, { ...text(''), kind: 'other', text: null }, NOW, catalogue);
    expect(result.state).toEqual(form);
    expect(result.replies[0]?.text).toBe(fa.unsupportedMessage);
  });
});
