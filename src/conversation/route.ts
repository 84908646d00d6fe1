/**
 * What a message typed where a choice is expected asks for. An identifier in it is read first: a
 * national code or a mobile is personal and goes nowhere; one that can only be a service's answer
 * (a postcode, a 13-digit bill id, a plate) opens that service with it. Then the words: one service
 * clearly named opens, two or three close ones are offered, nothing close is nothing.
 */
import * as v from 'valibot';
import type { Catalogue } from '../services/catalogue.ts';
import { type Service, schemaOf } from '../services/types.ts';
import { mobile } from '../validation/mobile.ts';
import { nationalCode } from '../validation/national-code.ts';
import { toAsciiDigits } from '../validation/normalise.ts';
import { matchServices } from './matching.ts';

export type Route =
  /** Open `service`; `typed`, when given, answers its first question. */
  | { kind: 'service'; service: Service; typed: string | null }
  /** Which of these? */
  | { kind: 'choices'; services: Service[] }
  /** A national code or a mobile, which is never sent anywhere from the menu. */
  | { kind: 'personal'; what: 'nationalCode' | 'mobile' }
  | { kind: 'none' };

/** The most choices offered at once. */
const MAX_CHOICES = 3;
/** From the first digit to the last: a number, or a plate with its letter and «ایران» inside. */
const IDENTIFIER = /\d(?:.*\d)?/s;

export function route(input: string, catalogue: Catalogue, now: number): Route {
  const text = toAsciiDigits(input);
  const identifier = IDENTIFIER.exec(text);
  const typed = identifier?.[0] ?? null;
  const words = identifier
    ? text.slice(0, identifier.index) + text.slice(identifier.index + identifier[0].length)
    : text;
  if (typed !== null) {
    if (v.safeParse(nationalCode, typed).success) return { kind: 'personal', what: 'nationalCode' };
    if (v.safeParse(mobile, typed).success) return { kind: 'personal', what: 'mobile' };
  }
  const matches = matchServices(words, catalogue);
  const named = matches.filter((match) => match.full && match.words === matches[0]?.words).map((m) => m.service);
  if (named.length === 1 && named[0]) return { kind: 'service', service: named[0], typed };
  // An identifier that only one service takes decides, among the services named if any were.
  const takers = typed === null ? [] : catalogue.services.filter((service) => standsAlone(service, typed, now));
  const taker = takers.filter((service) => named.length === 0 || named.includes(service));
  if (taker.length === 1 && taker[0]) return { kind: 'service', service: taker[0], typed };
  const close = named.length > 1 ? named : matches.map((match) => match.service);
  if (close.length > 0) return { kind: 'choices', services: close.slice(0, MAX_CHOICES) };
  return { kind: 'none' };
}

/** Whether `typed`, alone, can only be the answer to the service's first question. */
function standsAlone(service: Service, typed: string, now: number): boolean {
  const question = service.inputs[0];
  if (!question?.standsAlone) return false;
  const parsed = v.safeParse(schemaOf(question, now), typed);
  return parsed.success && question.standsAlone(parsed.output);
}
