/** The Node entry (src/node.ts), run as `npm run start:node` runs it. */
import { NODE_ENTRY } from '../support/entry-process.ts';
import { describeEntry } from './entry-suite.ts';

describeEntry('the Node entry', NODE_ENTRY);
