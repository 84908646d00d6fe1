/** What one service declaration holds: everything the engine needs to offer it. */
import type * as v from 'valibot';
import type { Button, Identity } from '../types.ts';
import type { ProviderId } from './providers.ts';

/** Normalises and validates an answer; its issue message is the Persian reason shown. */
export type InputSchema = v.GenericSchema<string, string>;

/** One question of a service's form. */
export interface ServiceInput {
  name: string;
  prompt: string;
  /**
   * The answer's schema, or a maker of one given the time the answer arrived (milliseconds since the
   * epoch): a rule such as "not in the future" needs the event's time, and the engine reads no clock.
   */
  schema: InputSchema | ((now: number) => InputSchema);
  /** Where to find the answer, with an example: shown when the citizen asks for «راهنما». */
  help?: string;
  /** The answers to pick from, offered as buttons; a choice may also be typed (its label or value). */
  choices?: readonly Button[];
  /**
   * For a first question: whether this (valid) answer, typed alone at the menu, can be nothing else
   * (a postcode, a 13-digit bill id, a plate), so that it opens the service already answered.
   */
  standsAlone?: (answer: string) => boolean;
}

/** The schema an answer to `input` is read with at `now`. */
export function schemaOf(input: ServiceInput, now: number): InputSchema {
  // A Valibot schema is an object, so a function here is a maker that wants the time.
  return typeof input.schema === 'function' ? input.schema(now) : input.schema;
}

type Answers = Readonly<Record<string, string>>;

interface Upstream<Result> {
  /** Who answers: the bus, or an organisation's own API (providers.ts). */
  provider: ProviderId;
  /** On the bus `{provider}/{gateway}/{operation}`; on an organisation's API, the path under its base URL. */
  operation: string;
  pid: string;
  /** The identifier in `body` the call is about, for the audit log (hashed and masked there). */
  subject?(body: Readonly<Record<string, string>>): string | undefined;
  /** The shape of `result` in the bus's answer. */
  result: v.GenericSchema<unknown, Result>;
}

interface ServiceBase<Result> {
  id: string;
  title: string;
  /**
   * What citizens type to ask for it besides its title («خلافی ماشین», «جریمه رانندگی»): route.ts
   * matches them.
   */
  phrases: readonly string[];
  category: string;
  inputs: readonly ServiceInput[];
  /** The answer as the citizen reads it. */
  render(result: Result, answers: Answers): string;
  /** What to say when the bus has no record (404). */
  notFound: string;
  /** Set when a citizen may ask to be told of what is new in this answer (docs/notices.md). */
  watch?: Watch<Result>;
}

/** How a service's answer is watched for news: a notice goes when an id not seen before appears. */
export interface Watch<Result> {
  /** The ids of the items an answer lists (fine ids); a 404 lists none. */
  ids(result: Result): string[];
  /** What is watched, as the list of subscriptions names it («خلافی پلاک …»). */
  what(answers: Answers): string;
  /** The notice: how many new items appeared, and no more than the answer itself would say. */
  news(count: number, answers: Answers): string;
}

/** A service anyone may use for anything (a postcode, a bill). */
export interface PublicService<Result = unknown> extends ServiceBase<Result> {
  identity: false;
  upstream: Upstream<Result> & {
    /** The body fields (besides requestId) from the validated answers. */
    body(answers: Answers): Record<string, string>;
  };
}

/**
 * A personal service: it answers only about the citizen who asks, so the engine binds their
 * identity first (docs/bus.md#identity-binding-and-shahkar) and hands the bound one to `body`,
 * never one typed in.
 */
export interface PersonalService<Result = unknown> extends ServiceBase<Result> {
  identity: true;
  upstream: Upstream<Result> & {
    body(answers: Answers, identity: Identity): Record<string, string>;
  };
}

export type Service<Result = unknown> = PublicService<Result> | PersonalService<Result>;
