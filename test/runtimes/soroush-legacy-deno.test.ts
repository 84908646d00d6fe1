/** Soroush legacy on the Deno entry (src/deno.ts), run as `npm run start:deno` runs it, with the same permissions. */
import { describeLegacyEntry } from './legacy-entry-suite.ts';

const root = new URL('../..', import.meta.url).pathname;

describeLegacyEntry('Soroush legacy on the Deno entry', [
  `${root}node_modules/.bin/deno`,
  'run',
  '--allow-net',
  '--allow-env',
  'src/deno.ts',
]);
