/**
 * What a test binds with: a mobile and a valid national code of its own, Gap's contact card and the
 * one-time code it sends to the number's own chat. talk.ts's `bind` walks the whole binding with them.
 */
import { postUpdate, waitForMessages } from './gap.ts';

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

/** A person of their own for each test, to bind with. */
export const newPerson = () => ({ mobile: newMobile(), nationalCode: newNationalCode() });

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
