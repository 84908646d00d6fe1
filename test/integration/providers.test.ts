/**
 * What a deployment offers, through the webhook and /readyz: an organisation without its
 * PROVIDER_<ID>_* variables is off and its service leaves the menu and the free-text routing;
 * SERVICES narrows the menu and the routing to the services it names; /readyz lists both.
 */
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { fa } from '../../src/i18n/fa.ts';
import { faIdentity } from '../../src/i18n/fa-identity.ts';
import { faServices } from '../../src/i18n/fa-services.ts';
import { converse, fixtures, keyboardLabels, newChatId, postUpdate, type Vars, waitForMessages } from './bot-api.ts';
import { callWorker } from './worker.ts';

const TOLL = faServices.vehicleToll.title;
const withoutMunicipality: Vars = Object.fromEntries(
  Object.entries(env).filter(([name]) => !name.startsWith('PROVIDER_MUNICIPALITY_')),
);
const onlyBillAndPostcode: Vars = { ...env, SERVICES: 'bill,postcode' };

const readyz = (vars: Vars) => callWorker('/readyz', vars);

/** The bale chat's first reply to `text`, under `vars`. */
async function firstReply(vars: Vars, text: string) {
  const chatId = newChatId();
  expect((await postUpdate('bale', fixtures.text(chatId, text), { vars })).status).toBe(200);
  const [reply] = await waitForMessages('bale', chatId, 1);
  return reply;
}

describe('the providers and services a deployment offers', () => {
  it('lists the providers on and the services offered on /readyz', async () => {
    const all = await readyz(env);
    expect(await all.json()).toMatchObject({ ok: true, providers: ['gsb', 'municipality'] });
    const off = (await (await readyz(withoutMunicipality)).json()) as { providers: string[]; services: string[] };
    expect(off.providers).toEqual(['gsb']);
    expect(off.services).not.toContain('vehicle-toll');
    const narrowed = (await (await readyz(onlyBillAndPostcode)).json()) as { services: string[] };
    expect(narrowed.services).toEqual(['bill', 'postcode']);
  });

  it("takes an organisation's service off the menu and out of the routing when its variables are absent", async () => {
    const chatId = newChatId();
    expect((await converse('bale', chatId, 'سلام', 0)).text).toContain(fa.menuPrompt);
    expect(keyboardLabels((await waitForMessages('bale', chatId, 1))[0]!)).toContain(TOLL);
    const off = await firstReply(withoutMunicipality, 'سلام');
    expect(keyboardLabels(off!)).not.toContain(TOLL);
    expect(keyboardLabels(off!)).toContain(faServices.trafficFines.title);
    // On, its title opens it (a personal service: binding first); off, it opens nothing.
    expect((await firstReply(env, 'عوارض خودرو'))?.text).toContain(faIdentity.notice);
    expect((await firstReply(withoutMunicipality, 'عوارض خودرو'))?.text).not.toContain(faIdentity.notice);
  });

  it('offers only the services SERVICES names, on the menu and in the routing', async () => {
    const menu = await firstReply(onlyBillAndPostcode, 'سلام');
    expect(keyboardLabels(menu!)).toEqual([faServices.bill.title, faServices.postcode.title, 'حساب من']);
    expect((await firstReply(env, 'خلافی ماشین'))?.text).toContain(faIdentity.notice);
    expect((await firstReply(onlyBillAndPostcode, 'خلافی ماشین'))?.text).not.toContain(faIdentity.notice);
    const bill = await firstReply(onlyBillAndPostcode, 'قبض برق');
    expect(bill?.text).toContain(faServices.bill.prompt);
  });

  it('refuses a SERVICES that names an unknown service, or partial organisation settings, naming the variable', async () => {
    const unknown = await readyz({ ...env, SERVICES: 'postcode,tolls' });
    expect(unknown.status).toBe(503);
    expect(((await unknown.json()) as { missing: string[] }).missing).toEqual(['SERVICES']);
    const partial = await readyz({ ...withoutMunicipality, PROVIDER_MUNICIPALITY_BASE_URL: 'https://toll.example.ir' });
    expect(partial.status).toBe(503);
    expect(((await partial.json()) as { missing: string[] }).missing).toContain('PROVIDER_MUNICIPALITY_TOKEN');
  });
});
