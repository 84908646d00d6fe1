/** Soroush legacy on the Node entry (src/node.ts), run as `npm run start:node` runs it. */
import { describeLegacyEntry } from './legacy-entry-suite.ts';

const root = new URL('../..', import.meta.url).pathname;

describeLegacyEntry('Soroush legacy on the Node entry', [`${root}node_modules/.bin/tsx`, 'src/node.ts']);
