/**
 * Who answers the services: the bus (GSB), always configured, and the organisations reached through
 * their own HTTPS APIs (docs/providers.md), each on only when its `PROVIDER_<ID>_*` variables are
 * set. Adding an organisation is one entry in ORGANISATIONS.
 */
export const ORGANISATIONS = ['municipality'] as const;

export type ProviderId = 'gsb' | (typeof ORGANISATIONS)[number];
