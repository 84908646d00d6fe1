/** Soroush legacy on the Node entry (src/node.ts), run as `npm run start:node` runs it. */
import { NODE_ENTRY } from '../support/entry-process.ts';
import { describeLegacyEntry } from './legacy-entry-suite.ts';

describeLegacyEntry('Soroush legacy on the Node entry', NODE_ENTRY);
