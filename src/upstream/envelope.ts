/**
 * The envelope of a 200 that the bus and the organisations share (docs/bus.md#answer,
 * docs/providers.md): `{requestId, status: "OK", result}`, its requestId the call's idempotency
 * key, so an answer stored for another call cannot stand in for this one.
 */
import * as v from 'valibot';

const Answer = v.object({ requestId: v.string(), status: v.literal('OK'), result: v.unknown() });

export function unwrapEnvelope(json: unknown, idempotencyKey: string): { result: unknown } | { refused: string } {
  const answer = v.safeParse(Answer, json);
  if (!answer.success) return { refused: 'answer is not the envelope' };
  if (answer.output.requestId !== idempotencyKey) return { refused: 'answer names another requestId' };
  return { result: answer.output.result };
}
