/** What the GSB sandbox recorded of the calls it got (no body values): for tests that count the bus's work. */
import { env } from 'cloudflare:workers';
import type { GsbCall } from '../../dev/sandboxes/gsb/index.ts';

export async function gsbCalls(): Promise<GsbCall[]> {
  const response = await fetch(`${env.GSB_BASE_URL}/_sandbox/calls`);
  return (await response.json()) as GsbCall[];
}
