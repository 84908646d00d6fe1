/** Small helpers every sandbox shares: comparing secrets, reading bodies, naming bad fields, waiting. */
import type { Env, Hono } from 'hono';
import * as v from 'valibot';

/** Compares secrets without an early exit, so timing does not reveal the common prefix. */
export function sameSecret(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  return diff === 0;
}

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

/**
 * Injected send faults, each for the next `count` sends to its recipient (or to anyone when it
 * names none), set through `POST /_sandbox/faults` and cleared with `DELETE /_sandbox/faults`.
 */
export class FaultQueue<F extends { count: number }> {
  private faults: (F & { remaining: number })[] = [];

  constructor(private readonly recipientOf: (fault: F) => string | undefined) {}

  /** Takes one use of the first fault that applies to `recipient`, if any. */
  take(recipient: string): F | null {
    const taken = this.faults.find((f) => {
      const only = this.recipientOf(f);
      return only === undefined || only === recipient;
    });
    if (!taken) return null;
    if (--taken.remaining <= 0) this.faults = this.faults.filter((f) => f !== taken);
    return taken;
  }

  /** The control routes; `usage` is the error a malformed body gets. */
  serve<E extends Env>(
    app: Hono<E>,
    schema: v.GenericSchema<unknown, F>,
    usage: string,
    parse?: (text: string) => unknown,
  ): void {
    app.post('/_sandbox/faults', async (c) => {
      const body = v.safeParse(schema, parseJson(await c.req.text(), parse));
      if (!body.success) return c.json({ error: usage }, 400);
      this.faults.push({ ...body.output, remaining: body.output.count });
      return c.json(body.output);
    });
    app.delete('/_sandbox/faults', (c) => {
      this.faults = [];
      return c.body(null, 204);
    });
  }
}
