/** Binding an identity on Gap as a citizen does: the contact card, the one-time code, the national code. */
import { expect } from 'vitest';
import { faIdentity } from '../../src/i18n/fa-identity.ts';
import { converse, postUpdate, type SentMessage, waitForMessages } from './gap.ts';

/** A mobile of its own for each test, so that the codes sent to its Gap chat are its own. */
export const newMobile = () => `0912${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
export const international = (mobile: string) => `+98${mobile.slice(1)}`;

/**
 * A valid national code of its own for each test: Shahkar is asked about one national code at most
 * a few times a day (store/identities.ts), and every test binds.
 */
export function newNationalCode(): string {
  for (;;) {
    const head = String(Math.floor(Math.random() * 1e9)).padStart(9, '0');
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(head[i]) * (10 - i);
    const s = sum % 11;
    const code = `${head}${s < 2 ? s : 11 - s}`;
    if (!/^(\d)\1{9}$/.test(code) && code.slice(3, 9) !== '000000') return code;
  }
}

export function shareContact(chatId: string, mobile: string): Promise<Response> {
  const from = JSON.stringify({ id: Number(chatId), name: 'Test', user: 'test' });
  const data = JSON.stringify({ name: 'علی', phone: international(mobile) });
  return postUpdate({ chat_id: chatId, type: 'contact', data, from });
}

/** The code the bot sent to the phone number's own Gap chat (the sandbox records `+98…` chats too). */
export async function codeSentTo(mobile: string): Promise<string> {
  const [message] = await waitForMessages(encodeURIComponent(international(mobile)), 1);
  return /\d{6}/.exec(message?.data ?? '')?.[0] ?? '';
}

/**
 * From the first message to Shahkar's match, through the personal service titled `title`: returns
 * the chat's messages once there are `expected` (the binding's 5, then what the service says next).
 */
export async function bindThrough(
  chatId: string,
  title: string,
  identity: { mobile: string; nationalCode: string },
  expected = 6,
): Promise<SentMessage[]> {
  await converse(chatId, 'سلام', 0);
  const notice = await converse(chatId, title, 1);
  expect(notice.data).toBe(`${faIdentity.notice}\n\n${faIdentity.askContact}`);
  expect((await shareContact(chatId, identity.mobile)).status).toBe(200);
  expect((await waitForMessages(chatId, 3))[2]?.data).toBe(faIdentity.askCode);
  const asked = await converse(chatId, await codeSentTo(identity.mobile), 3);
  expect(asked.data).toBe(`${faIdentity.phoneConfirmed}\n\n${faIdentity.askNationalCode}`);
  await converse(chatId, identity.nationalCode, 4);
  const messages = await waitForMessages(chatId, expected);
  expect(messages[4]?.data).toBe(faIdentity.bound);
  return messages;
}
