/**
 * The conversation engine: a pure function of (state, event, now). It decides what to say and
 * which upstream call to make; it does no I/O, reads no clock and draws no random numbers, so
 * every conversation can be replayed in a test. Form steps live in form.ts, the menu in menu.ts.
 */
import * as v from 'valibot';
import { fa } from '../i18n/fa.ts';
import type { Catalogue } from '../services/catalogue.ts';
import type { Service } from '../services/types.ts';
import type { InboundEvent, UpstreamOutcome } from '../types.ts';
import { normaliseText } from '../validation/normalise.ts';
import { answer, ask, back, explain } from './form.ts';
import { retryButton } from './keyboards.ts';
import { toMenu } from './menu.ts';
import type { Answers, ConversationState, FormState, StepResult } from './state.ts';
import { type Command, commandIn } from './words.ts';

/** A chat quiet this long starts over: a half-filled form is stale by then, and its answers should not linger. */
const IDLE_MS = 15 * 60_000;

/** The engine's answer to one inbound event received at `now` (milliseconds since the epoch). */
export function step(
  state: ConversationState | null,
  event: InboundEvent,
  now: number,
  catalogue: Catalogue,
): StepResult {
  if (state === null || event.kind === 'join') return toMenu(catalogue, now, fa.greeting);
  if (now - state.seenAt >= IDLE_MS) {
    return toMenu(catalogue, now, state.at === 'form' ? `${fa.greeting}\n\n${fa.formExpired}` : fa.greeting);
  }
  const input = event.kind === 'button' ? event.button?.value : event.text;
  if (input == null) {
    return { state: { ...state, seenAt: now }, replies: [{ text: fa.unsupportedMessage }], call: null };
  }

  const command = commandIn(input);
  const service = state.at === 'menu' ? undefined : catalogue.byId(state.service);
  if (service && state.at === 'form') {
    return inForm(service, state, command, input, event.kind === 'button', now, catalogue);
  }
  if (service && state.at === 'retry' && command === 'retry') return ask(service, state.answers, now);
  return atMenu(command, input, now, catalogue);
}

/** The engine's answer once the upstream call of a `calling` state has an outcome. */
export function settle(state: ConversationState, outcome: UpstreamOutcome, catalogue: Catalogue): StepResult {
  const service = state.at === 'calling' ? catalogue.byId(state.service) : undefined;
  if (state.at !== 'calling' || !service) return toMenu(catalogue, state.seenAt);
  const result = toMenu(catalogue, state.seenAt, resultText(service, state.answers, outcome));
  if (outcome.kind !== 'unavailable') return result;
  // The answers stay until the next message, so that «تلاش دوباره» can make the same call again.
  return {
    state: { at: 'retry', service: service.id, answers: state.answers, seenAt: state.seenAt },
    replies: result.replies.map((reply) => ({ ...reply, inline: retryButton() })),
    call: null,
  };
}

function inForm(
  service: Service,
  form: FormState,
  command: Command | null,
  input: string,
  pressed: boolean,
  now: number,
  catalogue: Catalogue,
): StepResult {
  switch (command) {
    case 'menu':
      return toMenu(catalogue, now);
    case 'cancel':
      return toMenu(catalogue, now, fa.cancelled);
    case 'back':
      return back(service, form, now, catalogue);
    case 'help':
      return explain(service, form, now);
    default:
      return answer(service, form, input, pressed, now, catalogue);
  }
}

function atMenu(command: Command | null, input: string, now: number, catalogue: Catalogue): StepResult {
  if (command === 'help') return toMenu(catalogue, now, fa.howItWorks);
  // Nothing to cancel, go back from or retry here: the menu is the answer.
  if (command) return toMenu(catalogue, now);
  const said = normaliseText(input);
  const chosen = catalogue.services.find((service) => normaliseText(service.title) === said);
  return chosen ? ask(chosen, {}, now) : toMenu(catalogue, now, fa.unknownChoice);
}

function resultText(service: Service, answers: Answers, outcome: UpstreamOutcome): string {
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
