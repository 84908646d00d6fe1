/**
 * The catalogue: every service Pishkhan offers, in menu order, grouped by category (خودرو و
 * رانندگی، قبوض، هویت و اسناد، نشانی): the menu gives each category rows of its own, so the
 * services of one category stay together. Adding a service is one line here.
 */
import { activePlatesService } from './active-plates.ts';
import { billService } from './bill.ts';
import { licenseStatusService } from './license-status.ts';
import { lifeStatusService } from './life-status.ts';
import { militaryService } from './military.ts';
import { negativePointsService } from './negative-points.ts';
import { passportService } from './passport.ts';
import { postcodeService } from './postcode.ts';
import { trafficFinesService } from './traffic-fines.ts';
import type { Service } from './types.ts';
import { vehicleTollService } from './vehicle-toll.ts';

export interface Catalogue {
  readonly services: readonly Service[];
  byId(id: string): Service | undefined;
}

export function createCatalogue(services: readonly Service[]): Catalogue {
  const index = new Map(services.map((service) => [service.id, service]));
  return { services, byId: (id) => index.get(id) };
}

export const catalogue = createCatalogue([
  trafficFinesService as Service,
  negativePointsService as Service,
  licenseStatusService as Service,
  activePlatesService as Service,
  // The municipality's, on its own row: its title names whose service it is.
  vehicleTollService as Service,
  billService as Service,
  militaryService as Service,
  passportService as Service,
  lifeStatusService as Service,
  postcodeService as Service,
]);

/**
 * What a deployment offers: the services whose provider is on, among those `offered` names (SERVICES;
 * null for all). The menu, the free-text routing and /readyz read only this.
 */
export function offeredCatalogue(
  providersOn: ReadonlySet<string>,
  offered: ReadonlySet<string> | null,
  all: Catalogue = catalogue,
): Catalogue {
  const services = all.services.filter(
    (service) => providersOn.has(service.upstream.provider) && (offered === null || offered.has(service.id)),
  );
  return services.length === all.services.length ? all : createCatalogue(services);
}
