/** /metrics on the Deno entry (src/deno.ts), run as `npm run start:deno` runs it. */
import { describeMetrics } from '../runtimes/metrics-suite.ts';
import { DENO_ENTRY } from '../support/entry-process.ts';

describeMetrics('the Deno entry', DENO_ENTRY);
