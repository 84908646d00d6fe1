/**
 * Injected send faults, the same in every messenger sandbox: how far a fault reaches, and the queue
 * a sandbox takes them from as the bot sends, set and cleared through its control routes.
 */
import type { Env, Hono } from 'hono';
import * as v from 'valibot';
import { parseJson } from './basics.ts';

/** A whole number in a control body, written as a number or, by exact JSON parsers, as its digits. */
const Whole = v.pipe(
  v.union([v.number(), v.pipe(v.string(), v.regex(/^\d{1,15}$/))]),
  v.transform(Number),
  v.integer(),
);

/**
 * How far a fault reaches: the next `count` sends (1 by default), or every send for `forMs`
 * milliseconds; with `rate`, only that share of them, drawn at random.
 */
export const FaultReach = {
  count: v.optional(v.pipe(Whole, v.minValue(1)), 1),
  forMs: v.optional(v.pipe(Whole, v.minValue(1), v.maxValue(3_600_000))),
  rate: v.optional(
    v.pipe(v.union([v.number(), v.picklist(['0', '1'])]), v.transform(Number), v.minValue(0), v.maxValue(1)),
  ),
};

interface Reach {
  count: number;
  forMs?: number;
  rate?: number;
}

/**
 * Injected send faults, each for its recipient (or anyone when it names none) and as far as its
 * FaultReach says, set through `POST /_sandbox/faults` and cleared with `DELETE /_sandbox/faults`.
 */
export class FaultQueue<F extends Reach> {
  private faults: (F & { remaining: number; until: number | null })[] = [];

  constructor(
    private readonly recipientOf: (fault: F) => string | undefined,
    private readonly random: () => number = Math.random,
  ) {}

  /** The first fault that applies to `recipient` and, for one with a rate, fires this time; one use of it. */
  take(recipient: string): F | null {
    const now = Date.now();
    this.faults = this.faults.filter((f) => f.until === null || now < f.until);
    for (const fault of this.faults) {
      const only = this.recipientOf(fault);
      if (only !== undefined && only !== recipient) continue;
      if (fault.rate !== undefined && this.random() >= fault.rate) continue;
      if (fault.until === null && --fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
      return fault;
    }
    return null;
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
      const { count, forMs } = body.output;
      this.faults.push({ ...body.output, remaining: count, until: forMs === undefined ? null : Date.now() + forMs });
      return c.json(body.output);
    });
    app.delete('/_sandbox/faults', (c) => {
      this.faults = [];
      return c.body(null, 204);
    });
  }
}
