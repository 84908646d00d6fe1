/**
 * The conversation kit itself (talk.ts, matchers.ts) on every messenger the integration tests reach:
 * buttons pressed as each messenger sends them (a reply-keyboard key as text, an inline button as
 * its callback), binding by each messenger's way, and a matcher's failure that shows the reply.
 */
import { describe, expect, it } from 'vitest';
import { fa } from '../../src/i18n/fa.ts';
import { faServices } from '../../src/i18n/fa-services.ts';
import { faValidation } from '../../src/i18n/fa-validation.ts';
import { newPerson } from './binding.ts';
import { type Messenger, talk } from './talk.ts';

describe.each<Messenger>(['gap', 'soroush', 'bale'])('a scripted citizen on %s', (messenger) => {
  it('is greeted, opens the postcode form by its button, is refused, answered, and asked again inline', async () => {
    const chat = await talk(messenger);
    await chat.say('سلام');
    const menu = await chat.reply();
    expect(menu).toAnswer(fa.greeting);
    expect(menu).toAsk(fa.menuPrompt);
    expect(menu).toOffer('نشانی از کد پستی');
    await chat.press(faServices.postcode.title);
    expect(await chat.reply()).toAsk(faServices.postcode.prompt);
    await chat.say('0123456789');
    const refused = await chat.reply();
    expect(refused).toGiveReason(faValidation.postcodeInvalid);
    expect(refused).toAsk(faServices.postcode.prompt);
    await chat.say('۱۱۹۳۶۵۳۴۷۱');
    const answer = await chat.reply();
    expect(answer).toAnswer(`${faServices.postcode.heading} ۱۱۹۳۶۵۳۴۷۱`);
    expect(answer).toAnswer(/استان .+، شهرستان .+/);
    // A Bot API message has one markup: the next step's inline buttons come on a message after the answer.
    const next = messenger === 'gap' ? answer : await chat.reply();
    expect(next.buttons).toContainEqual(expect.objectContaining({ label: fa.againButton, kind: 'inline' }));
    await chat.press(fa.againButton);
    expect(await chat.reply()).toAsk(faServices.postcode.prompt);
  });

  it('binds through a personal service, which then answers without asking again', async () => {
    const chat = await talk(messenger);
    await chat.bind(faServices.military.title, newPerson());
    expect(await chat.reply()).toAnswer(faServices.military.heading);
    if (messenger !== 'gap') expect(await chat.reply()).toOffer(fa.menuButton);
    await chat.say(faServices.military.title);
    expect(await chat.reply()).toAnswer(faServices.military.heading);
  });
});

describe('the reply matchers', () => {
  it('fail with the reply’s text and buttons, and hold with .not when the reply lacks what is named', async () => {
    const chat = await talk('gap');
    await chat.say('سلام');
    const menu = await chat.reply();
    const failure = (check: () => void) => {
      try {
        check();
      } catch (error) {
        return String(error);
      }
      throw new Error('the matcher passed');
    };
    const missing = failure(() => expect(menu).toOffer('دکمه‌ای که نیست'));
    expect(missing).toContain('expected the reply to offer a button «دکمه‌ای که نیست»');
    expect(missing).toContain(fa.menuPrompt);
    expect(missing).toContain(`[${faServices.postcode.title}]`);
    expect(failure(() => expect(menu).not.toOffer(faServices.postcode.title))).toContain('not to offer');
    expect(failure(() => expect(menu).toAsk(faServices.postcode.prompt))).toContain('to ask');
    expect(failure(() => expect(menu).toGiveReason(fa.greeting.split('\n')[0] ?? ''))).toContain('reason');
    expect(failure(() => expect(menu).toAnswer('نشانی کد پستی'))).toContain('to answer');
    expect(menu).not.toOffer('دکمه‌ای که نیست');
  });
});
