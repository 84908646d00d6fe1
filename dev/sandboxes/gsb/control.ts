/**
 * The GSB sandbox's control routes, for tests and load runs (JSON): GET/POST /_sandbox/faults (the
 * faults, replaced as a whole), GET/DELETE /_sandbox/calls (the log of operation calls) and
 * GET /_sandbox/in-flight (first requests still being answered: what a test waits on) and
 * POST /_sandbox/fines `{"plateNumber"}` (records a new fine for a plate, nine digits: what makes
 * a notice happen).
 */
import type { Hono } from 'hono';
import * as v from 'valibot';
import { parseJson } from '../kit/basics.ts';
import { invalidFields, problemAnswer, toResponse } from './answers.ts';
import { FaultsBody, faultsFrom } from './faults.ts';
import type { GsbState } from './state.ts';

const NewFine = v.object({ plateNumber: v.pipe(v.string(), v.regex(/^\d{9}$/)) });

export function serveGsbControl(app: Hono, state: GsbState): void {
  app.get('/_sandbox/faults', (c) => c.json(state.faults));
  app.post('/_sandbox/faults', async (c) => {
    const body = v.safeParse(FaultsBody, parseJson(await c.req.text()));
    if (!body.success) return toResponse(problemAnswer(invalidFields(body.issues), null));
    state.faults = faultsFrom(body.output);
    return c.json(state.faults);
  });
  app.post('/_sandbox/fines', async (c) => {
    const body = v.safeParse(NewFine, parseJson(await c.req.text()));
    if (!body.success) return toResponse(problemAnswer(invalidFields(body.issues), null));
    const { plateNumber } = body.output;
    const recorded = (state.ctx.recordedFines.get(plateNumber) ?? 0) + 1;
    state.ctx.recordedFines.set(plateNumber, recorded);
    return c.json({ plateNumber, recorded });
  });
  app.get('/_sandbox/calls', (c) => c.json(state.calls));
  app.get('/_sandbox/in-flight', async (c) => c.json({ inFlight: await state.idempotency.inFlight() }));
  app.delete('/_sandbox/calls', (c) => {
    state.calls = [];
    return c.body(null, 204);
  });
}
