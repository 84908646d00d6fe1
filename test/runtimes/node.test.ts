/** The Node entry (src/node.ts), run as `npm run start:node` runs it. */
import { describeEntry, root } from './entry-suite.ts';

describeEntry('the Node entry', [`${root}node_modules/.bin/tsx`, 'src/node.ts']);
