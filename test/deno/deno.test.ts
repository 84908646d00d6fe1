/** The Deno entry (src/deno.ts), run as `npm run start:deno` runs it, with the same permissions. */
import { describeEntry } from '../runtimes/entry-suite.ts';
import { DENO_ENTRY } from '../support/entry-process.ts';

describeEntry('the Deno entry', DENO_ENTRY);
