/**
 * Tehran municipality's vehicle toll, an organisation's own service, through the webhook of two
 * messengers: bound once, then asked for the plate and answered per year with ids that pass the
 * bill rules, or no debt, or no file; a municipality that fails, or an answer forged or unsigned on
 * the way, gets the honest Persian message and nothing of the answer. Its calls are in the audit
 * log like the bus's, the national code only hashed and masked.
 */

import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { depsFor } from '../../src/deps.ts';
import { fa } from '../../src/i18n/fa.ts';
import { faServices } from '../../src/i18n/fa-services.ts';
import { subjectHash } from '../../src/upstream/audit-trail.ts';
import { billTypeOf, isValidPaymentId, paymentAmount } from '../../src/validation/bill.ts';
import { waitFor } from '../support/wait.ts';
import { newPerson } from './binding.ts';
import { type Messenger, type Reply, talk } from './talk.ts';

const TITLE = faServices.vehicleToll.title;
const municipality = () => String(env.PROVIDER_MUNICIPALITY_BASE_URL);

/** The bill and payment ids an answer shows, each on the line after its label. */
function idsIn(reply: Reply): { billId: string; paymentId: string }[] {
  const lines = reply.text.split('\n');
  return lines.flatMap((line, i) =>
    line === faServices.bill.billId ? [{ billId: lines[i + 1] ?? '', paymentId: lines[i + 3] ?? '' }] : [],
  );
}

/** The audit rows of the toll calls about a national code, found as an operator would: by its keyed hash. */
async function auditRowsAbout(nationalCode: string, count: number) {
  const deps = await depsFor(env);
  const hash = await subjectHash(deps.hash, nationalCode);
  let rows: Record<string, unknown>[] = [];
  const found = async () => {
    rows = await deps.store.db.all(
      sql`select * from audit_log where service = 'vehicle-toll' and subject_hash = ${hash}`,
    );
    return rows.length >= count;
  };
  await waitFor(found, 10_000, `${count} audit row(s) of the toll`);
  return rows;
}

async function forge(tamper: 'key' | 'unsigned', plateNumber: string): Promise<void> {
  const response = await fetch(`${municipality()}/_sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tamper, plateNumber }),
  });
  expect(response.status).toBe(200);
}

describe.each([
  ['gap', 'key', '۳۱ د ۴۵۶ ایران ۷۸', '311045678'],
  ['bale', 'unsigned', '۴۲ س ۵۶۷ ایران ۸۹', '421556789'],
] as const)('عوارض سالیانه خودرو on %s', (messenger: Messenger, tamper, forgedPlate, forgedDigits) => {
  it('binds, asks for the plate, and answers each year in tomans with ids to copy; the audit row hides who', async () => {
    const chat = await talk(messenger);
    const citizen = newPerson();
    await chat.bind(TITLE, citizen);
    expect(await chat.reply()).toAsk(faServices.trafficFines.prompt);
    await chat.say('۱۲ ب ۳۴۵ ایران ۶۷');
    const answer = await chat.answer();
    expect(answer).toAnswer(`${faServices.vehicleToll.title} \u2066۱۲ ب\u200e ۳۴۵ ایران\u200e ۶۷\u2069`);
    expect(answer).toAnswer(new RegExp(`${faServices.vehicleToll.total} [۰-۹٬]+ تومان`));
    expect(answer).toAnswer(/سال ۱۴۰[۰-۹]: [۰-۹٬]+ تومان/);
    const ids = idsIn(answer);
    expect(ids.length).toBeGreaterThan(0);
    for (const { billId, paymentId } of ids) {
      expect(billTypeOf(billId)).toBe('municipality');
      expect(isValidPaymentId(billId, paymentId)).toBe(true);
      expect(paymentAmount(paymentId)).toBeGreaterThan(0);
    }
    expect(answer.inline).toEqual([fa.againButton, fa.menuButton]);
    expect(answer).toOffer(TITLE);

    const [row, ...more] = await auditRowsAbout(citizen.nationalCode, 1);
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      status: 200,
      key_id: 'pishkhan-municipality-local-1',
      subject_tail: `******${citizen.nationalCode.slice(-4)}`,
    });
    expect(JSON.stringify(row)).not.toContain(citizen.nationalCode);
    expect(JSON.stringify(row)).not.toContain(citizen.mobile);
  });

  it('says there is no debt, and asks again on «استعلام دیگر» without binding again', async () => {
    const chat = await talk(messenger);
    await chat.bind(TITLE, newPerson());
    await chat.reply();
    await chat.say('۹۹ ی ۹۹۹ ایران ۹۹');
    const none = await chat.answer();
    expect(none.text).toBe(`${faServices.vehicleToll.noDebt}\n\n${fa.menuPrompt}`);
    expect(none).toAnswer('بدهی ندارد');
    await chat.press(fa.againButton);
    expect(await chat.reply()).toAsk(faServices.trafficFines.prompt);
  });

  it('says the municipality has no file for the citizen', async () => {
    const chat = await talk(messenger);
    await chat.bind(TITLE, { ...newPerson(), nationalCode: '1583250689' });
    await chat.reply();
    await chat.say('۱۲ ب ۳۴۵ ایران ۶۷');
    expect((await chat.answer()).text).toBe(`${faServices.vehicleToll.notFound}\n\n${fa.menuPrompt}`);
  });

  it(`refuses an answer ${tamper === 'key' ? 'signed by a stranger' : 'without a signature'}, and shows none of it`, async () => {
    const chat = await talk(messenger);
    await chat.bind(TITLE, newPerson());
    await chat.reply();
    await forge(tamper, forgedDigits);
    await chat.say(forgedPlate);
    const refused = await chat.answer();
    expect(refused).toAnswer(fa.upstream.unavailable);
    expect(refused).not.toAnswer(faServices.bill.billId);
    expect(refused).toOffer(fa.retryButton);
    const calls = (await (await fetch(`${municipality()}/_sandbox/calls`)).json()) as { tampered: string | null }[];
    expect(calls.some((call) => call.tampered === tamper)).toBe(true);
  });

  it('says honestly that the municipality does not answer, and offers to try again', async () => {
    const chat = await talk(messenger);
    await chat.bind(TITLE, newPerson());
    await chat.reply();
    await chat.say('۸۸ ی ۸۸۸ ایران ۸۸');
    // The client retries a failing organisation within its 20 s deadline before it gives up.
    const down = await chat.answer(40_000);
    expect(down).toAnswer(fa.upstream.unavailable);
    expect(down).toOffer(fa.retryButton);
  }, 60_000);
});
