/** Soroush legacy on the Deno entry (src/deno.ts), run as `npm run start:deno` runs it, with the same permissions. */
import { DENO_ENTRY } from '../support/entry-process.ts';
import { describeLegacyEntry } from './legacy-entry-suite.ts';

describeLegacyEntry('Soroush legacy on the Deno entry', DENO_ENTRY);
