/**
 * A citizen subscribing to notices as they do it (bind, ask about a plate, «خبرم کن», yes), on top
 * of talk.ts's scripted chat; the GSB sandbox's new fines; and the scheduled run's checks under a
 * clock the test sets.
 */
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { type Deps, depsFor } from '../../src/deps.ts';
import { faNotices } from '../../src/i18n/fa-notices.ts';
import { faServices } from '../../src/i18n/fa-services.ts';
import { DAY_MS } from '../../src/pipeline/notice-schedule.ts';
import { checkSubscriptions } from '../../src/pipeline/notices.ts';
import { newPerson } from './binding.ts';
import * as botApi from './bot-api.ts';
import * as gap from './gap.ts';
import { gsbCalls } from './gsb.ts';
import { type Chat, type Messenger, type Reply, talk } from './talk.ts';

/** A plate of its own for each test (the sandbox's recorded fines are per plate): typed, and as the bus has it. */
export function newPlate(): { typed: string; nineDigits: string } {
  const digits = (n: number) => Array.from({ length: n }, () => 1 + Math.floor(Math.random() * 9)).join('');
  const [first, serial, province] = [digits(2), digits(3), digits(2)];
  return { typed: `${first} ب ${serial} ایران ${province}`, nineDigits: `${first}02${serial}${province}` };
}

/** A bound citizen (on Gap unless said), at the plate question of the fines service. */
export class Citizen {
  readonly identity = newPerson();

  private constructor(readonly chat: Chat) {}

  static async bound(messenger: Messenger = 'gap'): Promise<Citizen> {
    const citizen = new Citizen(await talk(messenger));
    await citizen.chat.bind(faServices.trafficFines.title, citizen.identity);
    expect((await citizen.chat.reply()).text).toContain(faServices.trafficFines.prompt);
    return citizen;
  }

  get chatId(): string {
    return this.chat.chatId;
  }

  /** Says `text` and reads what it causes, once the chat is let go, as one reply. */
  async say(text: string): Promise<Reply> {
    await this.chat.say(text);
    return this.chat.answer();
  }

  async press(label: string): Promise<Reply> {
    await this.chat.press(label);
    return this.chat.answer();
  }

  /** The next message, one that came unasked (a notice). */
  next(): Promise<Reply> {
    return this.chat.reply();
  }

  /** How many messages the bot has sent the chat so far. */
  async sent(): Promise<number> {
    const { messenger, chatId } = this.chat;
    const messages =
      messenger === 'gap' ? await gap.waitForMessages(chatId, 0) : await botApi.waitForMessages(messenger, chatId, 0);
    return messages.length;
  }

  /** Asks about `plate` (from the menu, or at the plate question) and subscribes to it. */
  async subscribe(plate: string, atPlateQuestion = false): Promise<Reply> {
    if (!atPlateQuestion) await this.say(faServices.trafficFines.title);
    const answer = await this.say(plate);
    expect(answer.inline).toContain(faNotices.notifyButton);
    const explained = await this.press(faNotices.notifyButton);
    expect(explained.text).toContain('روزی یک بار');
    expect(explained.inline).toEqual([faNotices.yesButton, faNotices.noButton]);
    return this.press(faNotices.yesButton);
  }

  /** The chat's subscriptions as stored. */
  async subscriptions() {
    const { store } = await depsFor(env);
    return store.db.all<{ id: string; next_check_at: number; expires_at: number; seen: string }>(
      sql`select id, next_check_at, expires_at, seen from subscriptions where channel = ${this.chat.messenger}
        and chat_id = ${this.chatId} order by created_at`,
    );
  }
}

/**
 * Moves subscription `id` `days` whole days ahead (its checks and its end), and returns it so: a
 * test that checks it under a clock that far ahead claims no subscription another test file made
 * meanwhile (those end within 90 days, and a run claims only live ones). Each file takes its own
 * number of days, so two files' moved subscriptions never overlap either.
 */
export async function movedAhead(id: string, days: number) {
  const { store } = await depsFor(env);
  const shift = days * DAY_MS;
  const [row] = await store.db.all<{ id: string; next_check_at: number; expires_at: number; seen: string }>(
    sql`update subscriptions set next_check_at = next_check_at + ${shift}, expires_at = expires_at + ${shift}
      where id = ${id} returning id, next_check_at, expires_at, seen`,
  );
  if (!row) throw new Error('no such subscription');
  return row;
}

/** Has the GSB sandbox record a new fine for the plate (nine digits). */
export async function recordFine(nineDigits: string): Promise<void> {
  const response = await fetch(`${env.GSB_BASE_URL}/_sandbox/fines`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ plateNumber: nineDigits }),
  });
  expect(response.status).toBe(200);
}

/** The parts the worker runs with, under a clock stopped at `at`. */
export async function depsAt(at: number): Promise<Deps> {
  return { ...(await depsFor(env)), now: () => at };
}

/** The scheduled run's checks, as if it ran at `at`. */
export async function checkAt(at: number) {
  return checkSubscriptions(await depsAt(at));
}

/** How many calls the bus got for subscription `id`'s checks (their idempotency keys name it). */
export async function checksOf(id: string): Promise<number> {
  return (await gsbCalls()).filter((call) => call.idempotencyKey?.startsWith(`pishkhan-notice-${id}-`)).length;
}
