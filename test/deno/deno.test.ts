/** The Deno entry (src/deno.ts), run as `npm run start:deno` runs it, with the same permissions. */
import { describeEntry, root } from '../runtimes/entry-suite.ts';

describeEntry('the Deno entry', [`${root}node_modules/.bin/deno`, 'run', '--allow-net', '--allow-env', 'src/deno.ts']);
