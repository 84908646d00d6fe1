/** The catalogue: every service Pishkhan offers, in menu order. Adding a service is one line here. */
import { billService } from './bill.ts';
import { militaryService } from './military.ts';
import { postcodeService } from './postcode.ts';
import type { Service } from './types.ts';

export interface Catalogue {
  readonly services: readonly Service[];
  byId(id: string): Service | undefined;
}

export function createCatalogue(services: readonly Service[]): Catalogue {
  const index = new Map(services.map((service) => [service.id, service]));
  return { services, byId: (id) => index.get(id) };
}

export const catalogue = createCatalogue([
  postcodeService as Service,
  billService as Service,
  militaryService as Service,
]);
