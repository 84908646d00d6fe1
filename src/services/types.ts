/** What one service declaration holds: everything the engine needs to offer it. */
import type * as v from 'valibot';
import type { Button } from '../types.ts';

/** One question of a service's form. */
export interface ServiceInput {
  name: string;
  prompt: string;
  /** Normalises and validates the answer; its issue message is the Persian reason shown. */
  schema: v.GenericSchema<string, string>;
  /** Where to find the answer, with an example: shown when the citizen asks for «راهنما». */
  help?: string;
  /** The answers to pick from, offered as buttons; a choice may also be typed (its label or value). */
  choices?: readonly Button[];
}

export interface Service<Result = unknown> {
  id: string;
  title: string;
  category: string;
  /** Whether the citizen must have a bound identity first (gsb-channel.md §6). */
  identity: boolean;
  inputs: readonly ServiceInput[];
  upstream: {
    /** `{provider}/{gateway}/{operation}` */
    operation: string;
    pid: string;
    /** The body fields (besides requestId) from the validated answers. */
    body(answers: Readonly<Record<string, string>>): Record<string, string>;
    /** The identifier in `body` the call is about, for the audit log (hashed and masked there). */
    subject?(body: Readonly<Record<string, string>>): string | undefined;
    /** The shape of `result` in the bus's answer. */
    result: v.GenericSchema<unknown, Result>;
  };
  /** The answer as the citizen reads it. */
  render(result: Result, answers: Readonly<Record<string, string>>): string;
  /** What to say when the bus has no record (404). */
  notFound: string;
}
