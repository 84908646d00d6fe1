/**
 * The conversation engine: a pure function of (state, event, now). It decides what to say and
 * which upstream call to make; it does no I/O, reads no clock and draws no random numbers, so
 * every conversation can be replayed in a test.
 */
import * as v from 'valibot';
import { fa } from '../i18n/fa.ts';
import type { Catalogue } from '../services/catalogue.ts';
import type { Service } from '../services/types.ts';
import type { Button, InboundEvent, Reply, UpstreamCall, UpstreamOutcome } from '../types.ts';
import { normaliseText } from '../validation/normalise.ts';
import { atMenu, type ConversationState } from './state.ts';

export interface StepResult {
  state: ConversationState;
  replies: Reply[];
  /** Set when the step needs the bus; its outcome goes to `settle`. */
  call: UpstreamCall | null;
}

const MENU_WORDS = new Set(fa.menuWords.map(normaliseText));

/** The engine's answer to one inbound event. `now` is unused until forms expire; it keeps the signature stable. */
export function step(
  state: ConversationState | null,
  event: InboundEvent,
  _now: number,
  catalogue: Catalogue,
): StepResult {
  const input = event.kind === 'button' ? event.button?.value : event.text;
  if (state === null || event.kind === 'join') return toMenu(catalogue, fa.greeting);
  if (input == null) return { state, replies: [{ text: fa.unsupportedMessage }], call: null };

  const said = normaliseText(input);
  if (MENU_WORDS.has(said)) return toMenu(catalogue);

  if (state.at === 'form') {
    const service = catalogue.byId(state.service);
    if (service) return answer(service, state.answers, input);
  }
  const chosen = catalogue.services.find((service) => normaliseText(service.title) === said);
  return chosen ? ask(chosen, {}) : toMenu(catalogue, fa.unknownChoice);
}

/** The engine's answer once the upstream call of a `calling` state has an outcome. */
export function settle(state: ConversationState, outcome: UpstreamOutcome, catalogue: Catalogue): StepResult {
  const service = state.at === 'calling' ? catalogue.byId(state.service) : undefined;
  if (state.at !== 'calling' || !service) return toMenu(catalogue);
  return { ...toMenu(catalogue, resultText(service, state.answers, outcome)), call: null };
}

function resultText(service: Service, answers: Record<string, string>, outcome: UpstreamOutcome): string {
  switch (outcome.kind) {
    case 'ok': {
      const parsed = v.safeParse(service.upstream.result, outcome.result);
      return parsed.success ? service.render(parsed.output, answers) : fa.upstream.unreadable;
    }
    case 'not-found':
      return service.notFound || fa.upstream.notFound;
    case 'rejected':
      return fa.upstream.rejected;
    case 'unavailable':
      return fa.upstream.unavailable;
  }
}

/** Validates an answer to the current question: the next question, the call, or the reason and the question again. */
function answer(service: Service, answers: Record<string, string>, input: string): StepResult {
  const field = service.inputs[Object.keys(answers).length];
  if (!field) return ask(service, answers);
  const parsed = v.safeParse(field.schema, input);
  if (!parsed.success) {
    const reason = parsed.issues[0]?.message ?? '';
    return {
      state: { at: 'form', service: service.id, answers },
      replies: [{ text: `${reason}\n\n${field.prompt}`, keyboard: formKeyboard() }],
      call: null,
    };
  }
  return ask(service, { ...answers, [field.name]: parsed.output });
}

/** Asks the next unanswered question, or makes the call when the form is complete. */
function ask(service: Service, answers: Record<string, string>): StepResult {
  const next = service.inputs[Object.keys(answers).length];
  if (next) {
    return {
      state: { at: 'form', service: service.id, answers },
      replies: [{ text: next.prompt, keyboard: formKeyboard() }],
      call: null,
    };
  }
  const { operation, pid, body } = service.upstream;
  return {
    state: { at: 'calling', service: service.id, answers },
    replies: [],
    call: { service: service.id, operation, pid, body: body(answers) },
  };
}

function toMenu(catalogue: Catalogue, lead?: string): StepResult {
  const text = lead ? `${lead}\n\n${fa.menuPrompt}` : fa.menuPrompt;
  return { state: atMenu, replies: [{ text, keyboard: menuKeyboard(catalogue) }], call: null };
}

/** The main menu: service titles, two to a row. */
function menuKeyboard(catalogue: Catalogue): Button[][] {
  const buttons = catalogue.services.map((service) => ({ label: service.title, value: service.title }));
  const rows: Button[][] = [];
  for (let i = 0; i < buttons.length; i += 2) rows.push(buttons.slice(i, i + 2));
  return rows;
}

function formKeyboard(): Button[][] {
  return [[{ label: fa.menuButton, value: fa.menuButton }]];
}
