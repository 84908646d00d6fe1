/** Small helpers every sandbox shares: reading bodies, naming bad fields, waiting, random ids. */
import * as v from 'valibot';

/** The JSON in `raw`, or undefined when it is none (the caller's schema then refuses it). */
export function parseJson(raw: string, parse: (text: string) => unknown = JSON.parse): unknown {
  try {
    return parse(raw);
  } catch {
    return undefined;
  }
}

/** The paths of the fields a schema refused, never their values (they may be personal). */
export const fieldsOf = (issues: readonly v.BaseIssue<unknown>[]) =>
  [...new Set(issues.map((i) => v.getDotPath(i) ?? 'body'))].join(', ');

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A random id like the messengers' callback ids (16 characters of base 36). */
export const randomId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(36).padStart(2, '0'))
    .join('')
    .slice(0, 16);
