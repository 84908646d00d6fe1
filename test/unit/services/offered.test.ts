/**
 * What a deployment offers: a provider switched off takes its services off the menu and out of the
 * free-text routing, and SERVICES narrows both to the ids it names.
 */
import { describe, expect, it } from 'vitest';
import { readOffered } from '../../../src/config.ts';
import { menuKeyboard } from '../../../src/conversation/keyboards.ts';
import { route } from '../../../src/conversation/route.ts';
import { ConfigError } from '../../../src/errors.ts';
import { faServices } from '../../../src/i18n/fa-services.ts';
import { catalogue, offeredCatalogue } from '../../../src/services/catalogue.ts';

const NOW = Date.UTC(2026, 11, 6);
const ids = catalogue.services.map((service) => service.id);
const labels = (offered: typeof catalogue) =>
  menuKeyboard(offered)
    .flat()
    .map((button) => button.label);
const opened = (text: string, offered: typeof catalogue) => {
  const routed = route(text, offered, NOW);
  return routed.kind === 'service' ? routed.service.id : routed.kind;
};
/** Every service a message opens or offers as a choice. */
const reached = (text: string, offered: typeof catalogue) => {
  const routed = route(text, offered, NOW);
  if (routed.kind === 'service') return [routed.service.id];
  return routed.kind === 'choices' ? routed.services.map((service) => service.id) : [];
};

describe('the services a deployment offers', () => {
  it('is the whole catalogue when every provider is on and SERVICES is unset', () => {
    expect(offeredCatalogue(new Set(['gsb', 'municipality']), null)).toBe(catalogue);
  });

  it("leaves out a provider's services when it is off: off the menu and out of the routing", () => {
    const offered = offeredCatalogue(new Set(['gsb']), null);
    expect(offered.services.map((service) => service.id)).toEqual(ids.filter((id) => id !== 'vehicle-toll'));
    expect(labels(offered)).not.toContain(faServices.vehicleToll.title);
    for (const text of ['عوارض خودرو', 'عوارض شهرداری', 'عوارض ۵۵ ق ۱۱۱ ایران ۸۸']) {
      expect(opened(text, catalogue)).toBe('vehicle-toll');
      expect(reached(text, offered)).not.toContain('vehicle-toll');
    }
    expect(offered.byId('vehicle-toll')).toBeUndefined();
  });

  it('offers only what SERVICES names, in menu order', () => {
    const offered = offeredCatalogue(
      new Set(['gsb', 'municipality']),
      readOffered({ SERVICES: 'postcode, bill' }, ids),
    );
    expect(offered.services.map((service) => service.id)).toEqual(['bill', 'postcode']);
    expect(labels(offered)).toEqual([faServices.bill.title, faServices.postcode.title, 'حساب من']);
    expect(opened('قبض برق', offered)).toBe('bill');
    expect(opened('خلافی ماشین', offered)).toBe('none');
    expect(opened('۱۲ ب ۳۴۵ ایران ۶۷', offered)).toBe('none');
  });

  it('refuses a SERVICES naming an unknown service, or none, naming the variable', () => {
    expect(readOffered({}, ids)).toBeNull();
    expect(readOffered({ SERVICES: '' }, ids)).toBeNull();
    for (const listed of ['postcode,tolls', ',', 'Postcode']) {
      expect(() => readOffered({ SERVICES: listed }, ids)).toThrow(ConfigError);
      expect(() => readOffered({ SERVICES: listed }, ids)).toThrow(/SERVICES/);
    }
  });
});
