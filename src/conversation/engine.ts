/**
 * The conversation engine: a pure function of (state, event, now, context). It decides what to say
 * and which upstream call to make; it does no I/O, reads no clock and draws no random numbers (the
 * StepContext brings what it cannot know: the chat's account, one-time code material), so every
 * conversation can be replayed in a test. Form steps live in form.ts, identity binding in
 * binding.ts, «حساب من» in account.ts, the menu in menu.ts, reading free text at the menu in route.ts.
 */
import * as v from 'valibot';
import { fa } from '../i18n/fa.ts';
import { faIdentity } from '../i18n/fa-identity.ts';
import { faNotices } from '../i18n/fa-notices.ts';
import type { Catalogue } from '../services/catalogue.ts';
import type { Service } from '../services/types.ts';
import type { InboundEvent, UpstreamOutcome } from '../types.ts';
import { normaliseText } from '../validation/normalise.ts';
import { askErase, confirmErase, showAccount } from './account.ts';
import { inBinding, settleBinding, startBinding } from './binding.ts';
import { answer, ask, back, explain, openForm } from './form.ts';
import { nextStepButtons, retryButton, serviceButtons } from './keyboards.ts';
import { toMenu } from './menu.ts';
import {
  confirmWatch,
  explainWatch,
  listWatches,
  offeringWatch,
  onSubscriptionAction,
  subscriptionActionIn,
  watchedIds,
} from './notices.ts';
import { type Route, route } from './route.ts';
import {
  ANONYMOUS,
  type Answers,
  accountOf,
  type ConversationState,
  type FormState,
  type StepContext,
  type StepResult,
  type Turn,
  withNeeds,
} from './state.ts';
import { type Command, commandIn } from './words.ts';

/** A chat quiet this long starts over: a half-filled form is stale by then, and its answers should not linger. */
const IDLE_MS = 15 * 60_000;

/** The engine's answer to one inbound event received at `now` (milliseconds since the epoch). */
export function step(
  state: ConversationState | null,
  event: InboundEvent,
  now: number,
  catalogue: Catalogue,
  context: StepContext = ANONYMOUS,
): StepResult {
  const turn: Turn = { now, catalogue, context };
  if (!event.privateChat) return inGroup(event, now);
  // A notice's buttons may be pressed days later, whatever the chat is doing by then.
  const action = subscriptionActionIn(event);
  if (action) return onSubscriptionAction(action, turn);
  if (event.kind === 'join') return toMenu(catalogue, now, fa.greeting);
  if (state === null) return withNeeds({ at: 'menu', seenAt: now }, () => firstWords(event, turn));
  if (now - state.seenAt >= IDLE_MS) {
    const unfinished = state.at === 'form' || state.at === 'binding';
    return toMenu(catalogue, now, unfinished ? `${fa.greeting}\n\n${fa.formExpired}` : fa.greeting);
  }
  return withNeeds(state, () => decide(state, event, turn));
}

function decide(state: ConversationState, event: InboundEvent, turn: Turn): StepResult {
  const { now, catalogue } = turn;
  const input = (event.kind === 'button' ? event.button?.value : event.text) ?? null;
  const command = input === null ? null : commandIn(input);
  // A contact card carries no text: only binding reads one.
  if (state.at === 'binding') return inBinding(state, event, input, command, turn);
  if (input === null) {
    return { state: { ...state, seenAt: now }, replies: [{ text: fa.unsupportedMessage }], call: null };
  }
  if (state.at === 'confirm-erase') return confirmErase(saidIs(input, faIdentity.eraseYes), turn);

  const service = state.at === 'menu' ? undefined : catalogue.byId(state.service);
  if (service && state.at === 'confirm-watch') {
    return confirmWatch(service, state.watch, saidIs(input, faNotices.yesButton), turn);
  }
  if (service && state.at === 'answered' && state.watch && saidIs(input, faNotices.notifyButton)) {
    return explainWatch(service, state.watch, turn);
  }
  if (service && state.at === 'form') return inForm(service, state, command, input, event.kind === 'button', turn);
  if (service && state.at === 'retry' && command === 'retry') return ask(service, state.answers, turn);
  if (service && state.at === 'answered' && command === 'again') return open(service, turn);
  return atMenu(command, input, turn);
}

/** The engine's answer once the upstream call of a `calling` (or Shahkar-checking) state has an outcome. */
export function settle(
  state: ConversationState,
  outcome: UpstreamOutcome,
  catalogue: Catalogue,
  context: StepContext = ANONYMOUS,
): StepResult {
  const turn: Turn = { now: state.seenAt, catalogue, context };
  const service = state.at === 'calling' || state.at === 'binding' ? catalogue.byId(state.service) : undefined;
  if (service && state.at === 'binding') return settleBinding(state, service, outcome, turn);
  if (state.at !== 'calling' || !service) return toMenu(catalogue, state.seenAt);
  const result = toMenu(catalogue, state.seenAt, resultText(service, state.answers, outcome));
  if (outcome.kind === 'limited') return result;
  if (outcome.kind === 'unavailable') {
    // The answers stay until the next message, so that «تلاش دوباره» can make the same call again.
    return {
      state: { at: 'retry', service: service.id, answers: state.answers, seenAt: state.seenAt },
      replies: result.replies.map((reply) => ({ ...reply, inline: retryButton() })),
      call: null,
    };
  }
  // An answer (no record and a refusal included): the next step is offered on it, and «خبرم کن»
  // when its news can be watched.
  const replies = result.replies.map((reply) => ({ ...reply, inline: nextStepButtons(service.inputs.length > 0) }));
  const seen = watchedIds(service, outcome);
  const watch = seen && { answers: state.answers, seen };
  return {
    state: { at: 'answered', service: service.id, ...(watch && { watch }), seenAt: state.seenAt },
    replies: watch ? offeringWatch(replies) : replies,
    call: null,
  };
}

/**
 * In a group the bot does not chatter, and nothing personal happens: a command of its own (`/start`,
 * `/menu`, …, also as `/start@bot`) or a press of its button gets one pointer to a private chat;
 * everything else gets no answer.
 */
function inGroup(event: InboundEvent, now: number): StepResult {
  const typed = event.text?.trim().replace(/@\w+$/, '') ?? '';
  const addressed = event.kind === 'button' || (typed.startsWith('/') && commandIn(typed) !== null);
  return { state: { at: 'menu', seenAt: now }, replies: addressed ? [{ text: fa.privateOnly }] : [], call: null };
}

function inForm(
  service: Service,
  form: FormState,
  command: Command | null,
  input: string,
  pressed: boolean,
  turn: Turn,
): StepResult {
  switch (command) {
    case 'menu':
      return toMenu(turn.catalogue, turn.now);
    case 'cancel':
      return toMenu(turn.catalogue, turn.now, fa.cancelled);
    case 'back':
      return back(service, form, turn);
    case 'help':
      return explain(service, form, turn);
    default:
      return answer(service, form, input, pressed, turn);
  }
}

function atMenu(command: Command | null, input: string, turn: Turn): StepResult {
  const { catalogue, now } = turn;
  if (command === 'help') return toMenu(catalogue, now, fa.howItWorks);
  // Nothing to cancel, go back from or retry here: the menu is the answer.
  if (command) return toMenu(catalogue, now);
  if (saidIs(input, faIdentity.accountButton)) return showAccount(turn);
  if (saidIs(input, faIdentity.eraseButton)) return askErase(turn);
  if (saidIs(input, faNotices.mineButton)) return listWatches(turn);
  return routed(route(input, catalogue, now), turn);
}

/**
 * A chat's first message: the greeting, and, when the message already asks for something (a
 * service, an identifier), the answer to it.
 */
function firstWords(event: InboundEvent, turn: Turn): StepResult {
  const input = event.kind === 'text' ? event.text : null;
  const asked = input === null ? null : route(input, turn.catalogue, turn.now);
  if (!asked || asked.kind === 'none') return toMenu(turn.catalogue, turn.now, fa.greeting);
  const result = routed(asked, turn);
  const [first, ...rest] = result.replies;
  return first ? { ...result, replies: [{ ...first, text: `${fa.greeting}\n\n${first.text}` }, ...rest] } : result;
}

/** What the menu answers to what route.ts made of a message. */
function routed(asked: Route, turn: Turn): StepResult {
  const { catalogue, now } = turn;
  switch (asked.kind) {
    case 'service':
      return open(asked.service, turn, asked.typed);
    case 'choices':
      return {
        state: { at: 'menu', seenAt: now },
        replies: [{ text: fa.whichOne, inline: serviceButtons(asked.services) }],
        call: null,
      };
    case 'personal':
      return toMenu(catalogue, now, fa.personalAtMenu[asked.what]);
    case 'none':
      return toMenu(catalogue, now, fa.unknownChoice);
  }
}

/** A service's form from its first question (answered already when the citizen `typed` it). */
function open(service: Service, turn: Turn, typed: string | null = null): StepResult {
  // A personal service answers only about its bound citizen: bind one first, then it goes on.
  if (service.identity && !accountOf(turn).identity) return startBinding(service, typed, turn);
  return openForm(service, typed, turn);
}

function saidIs(input: string, words: string): boolean {
  return normaliseText(input) === normaliseText(words);
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
    case 'limited':
      return fa.upstream.unavailable;
  }
}
