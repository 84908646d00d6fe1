/**
 * What the GSB sandbox answers, before it is signed: JSON envelopes and RFC 9457 problems. The
 * channel's refusals carry the verifier's own problem types (PROBLEMS); the sandbox's other
 * problems (token, fields, no record) are named under urn:pishkhan:gsb-sandbox:.
 */
import * as v from 'valibot';
import type { Problem } from '../../../src/upstream/signing/problems.ts';
import type { StoredAnswer } from './stores.ts';

export type { StoredAnswer };

/** A problem of the sandbox's own, outside the link's catalogue. */
export function sandboxProblem(status: number, slug: string, title: string, detail: string): Problem {
  return { type: `urn:pishkhan:gsb-sandbox:${slug}`, title, status, detail };
}

/** A problem as `application/problem+json`, echoing the request's id (never its body values). */
export function problemAnswer(problem: Problem, requestId: string | null): StoredAnswer {
  const { type, title, status, detail } = problem;
  return {
    status,
    contentType: 'application/problem+json',
    body: JSON.stringify({ type, title, status, detail, requestId }),
  };
}

/** An answer as it leaves unsigned (the token endpoint's, a control route's). */
export const toResponse = (answer: StoredAnswer) =>
  new Response(answer.body, { status: answer.status, headers: { 'content-type': answer.contentType } });

export function jsonAnswer(status: number, value: unknown): StoredAnswer {
  return { status, contentType: 'application/json', body: JSON.stringify(value) };
}

/** Names the failing fields only: Valibot's default messages would echo the (personal) input. */
export function invalidFields(issues: readonly v.BaseIssue<unknown>[]): Problem {
  const fields = [...new Set(issues.map((i) => v.getDotPath(i) ?? '(body)'))].join(', ');
  return sandboxProblem(400, 'invalid-body', 'Invalid request body', `invalid or missing field(s): ${fields}`);
}

/** The problem `type` of an answer, for the call log; null for a success. */
export function problemTypeOf(answer: StoredAnswer): string | null {
  if (answer.contentType !== 'application/problem+json') return null;
  return (JSON.parse(answer.body) as { type: string }).type;
}
