/**
 * Personal services only in private chats: in a group, the bot answers its own commands with one
 * pointer to a private chat and says nothing to the rest, so no member can bind, inquire or erase
 * on the group's behalf.
 */
import { describe, expect, it } from 'vitest';
import { fa } from '../../src/i18n/fa.ts';
import { faIdentity } from '../../src/i18n/fa-identity.ts';
import { faServices } from '../../src/i18n/fa-services.ts';
import { fixtures, newChatId, postUpdate, waitForMessages } from './bot-api.ts';

describe('a Bale group', () => {
  it('gets one pointer to a private chat per command, and nothing for a service, a contact or «حساب من»', async () => {
    const group = `-${newChatId()}`;
    const member = newChatId();
    const say = (fields: { text: string } | { contact: string }) =>
      postUpdate('bale', fixtures.inGroup(group, member, fields));
    expect((await say({ text: '/start' })).status).toBe(200);
    for (const quiet of [
      { text: faServices.postcode.title },
      { text: faServices.military.title },
      { text: faIdentity.accountButton },
      { text: 'سلام' },
      { contact: '+989121234567' },
    ]) {
      expect((await say(quiet)).status).toBe(200);
    }
    expect((await say({ text: '/start@pishkhan_bot' })).status).toBe(200);
    // The second pointer comes after everything else was processed: nothing came in between.
    const messages = await waitForMessages('bale', group, 2);
    expect(messages.map((message) => message.text)).toEqual([fa.privateOnly, fa.privateOnly]);

    // The member's own chat with the bot is a conversation of its own.
    await postUpdate('bale', fixtures.text(member, '/start'));
    const [menu] = await waitForMessages('bale', member, 1);
    expect(menu?.text).toContain(fa.greeting);
  });
});
