/**
 * Identity binding (docs/bus.md#identity-binding-and-shahkar), one stage per message: what is kept
 * and why, the citizen's own contact card (on Gap, proved by a one-time code sent to that number's
 * chat), the national code, then Shahkar. Only a match binds; then the service the citizen chose
 * goes on. Pure like the rest of the engine: the code, its keyed hashes and the attempt count come
 * in the StepContext.
 */
import * as v from 'valibot';
import { fa } from '../i18n/fa.ts';
import { faIdentity } from '../i18n/fa-identity.ts';
import type { Service } from '../services/types.ts';
import type { Identity, InboundEvent, Reply, UpstreamCall, UpstreamOutcome } from '../types.ts';
import { mobile as mobileSchema } from '../validation/mobile.ts';
import { nationalCode as nationalCodeSchema } from '../validation/national-code.ts';
import { openForm } from './form.ts';
import { contactKeyboard, formKeyboard } from './keyboards.ts';
import { toMenu } from './menu.ts';
import { accountOf, type Binding, type BindingState, codeAllowed, type StepResult, type Turn } from './state.ts';
import type { Command } from './words.ts';

/**
 * Binding attempts (contact cards accepted) per chat per day; Shahkar's per-national-code limit is
 * the store's.
 */
export const MAX_BINDING_ATTEMPTS = 5;
/** How long a one-time code may be typed back. */
export const CODE_TTL_MS = 5 * 60_000;
/** Wrong answers in a row at one stage before the attempt ends. */
const MAX_WRONG_TRIES = 3;

export const SHAHKAR = { id: 'shahkar', operation: 'shahkar/gwsh/serviceIDmatching', pid: 'pishkhan-shahkar-v1' };
const ShahkarResult = v.object({ matched: v.boolean() });

/**
 * Opens `service`: told first what will be kept, then asked for the contact card.
 * @param typed the answer to the service's first question, kept for after the binding
 */
export function startBinding(service: Service, typed: string | null, turn: Turn): StepResult {
  // Nothing here can prove a number is the citizen's own: say so before asking for anything.
  if (!turn.context.contactButton && !turn.context.codeToPhone) {
    return toMenu(turn.catalogue, turn.now, faIdentity.notHere);
  }
  if (accountOf(turn).bindingAttempts >= MAX_BINDING_ATTEMPTS)
    return toMenu(turn.catalogue, turn.now, faIdentity.tooManyAttempts);
  const binding: Binding = { stage: 'contact', wrongTries: 0 };
  return {
    state: { at: 'binding', service: service.id, binding, ...(typed !== null && { typed }), seenAt: turn.now },
    replies: [{ text: `${faIdentity.notice}\n\n${faIdentity.askContact}`, keyboard: contactKeyboard() }],
    call: null,
  };
}

/** One message while binding; `input` is the text or pressed value, `command` its steering word. */
export function inBinding(
  state: BindingState,
  event: InboundEvent,
  input: string | null,
  command: Command | null,
  turn: Turn,
): StepResult {
  if (command === 'menu' || command === 'back') return toMenu(turn.catalogue, turn.now);
  if (command === 'cancel') return toMenu(turn.catalogue, turn.now, fa.cancelled);
  const { binding } = state;
  switch (binding.stage) {
    case 'contact':
      return event.contact
        ? contactShared(state, binding, event.contact, turn)
        : noContact(state, binding, input, turn);
    case 'code':
      return codeTyped(state, binding, turn);
    case 'national-code':
      return command === 'help'
        ? repeatStage(state, binding, faIdentity.nationalCodeHelp, askNationalCode(), turn)
        : nationalCodeTyped(state, binding, input ?? '', turn);
    case 'checking':
      // Never stored: the check is settled within the step that made it.
      return toMenu(turn.catalogue, turn.now);
  }
}

/** Shahkar's answer: a match binds and goes on to the chosen service; anything else keeps nothing. */
export function settleBinding(state: BindingState, service: Service, outcome: UpstreamOutcome, turn: Turn): StepResult {
  const { binding } = state;
  if (binding.stage !== 'checking') return toMenu(turn.catalogue, turn.now);
  if (outcome.kind === 'limited') return toMenu(turn.catalogue, turn.now, faIdentity.tooManyAttempts);
  const answer = outcome.kind === 'ok' ? v.safeParse(ShahkarResult, outcome.result) : null;
  if (!answer?.success) return toMenu(turn.catalogue, turn.now, faIdentity.checkUnavailable);
  if (!answer.output.matched) return toMenu(turn.catalogue, turn.now, faIdentity.mismatch);
  const identity: Identity = { nationalCode: binding.nationalCode, mobile: binding.mobile };
  // The service's first step, told of the identity just bound (its attempts count no more: it is bound).
  const account = { identity, bindingAttempts: 0 };
  const next = openForm(service, state.typed ?? null, { ...turn, context: { ...turn.context, account } });
  return { ...next, replies: [{ text: faIdentity.bound }, ...next.replies], effect: { kind: 'bind', identity } };
}

function contactShared(
  state: BindingState,
  binding: Extract<Binding, { stage: 'contact' }>,
  contact: NonNullable<InboundEvent['contact']>,
  turn: Turn,
): StepResult {
  if (contact.ownership === 'other') return repeatStage(state, binding, faIdentity.otherContact, contactReply(), turn);
  // The channel writes an Iranian mobile as 09xxxxxxxxx; anything else is no mobile Shahkar knows.
  if (!/^09\d{9}$/.test(contact.phone)) return repeatStage(state, binding, faIdentity.notAMobile, contactReply(), turn);
  if (contact.ownership === 'unknown' && !turn.context.codeToPhone) {
    return toMenu(turn.catalogue, turn.now, faIdentity.notHere);
  }
  if (accountOf(turn).bindingAttempts >= MAX_BINDING_ATTEMPTS) {
    return toMenu(turn.catalogue, turn.now, faIdentity.tooManyAttempts);
  }
  const mobile = contact.phone;
  if (contact.ownership === 'own') {
    return {
      state: { ...state, binding: { stage: 'national-code', mobile, wrongTries: 0 }, seenAt: turn.now },
      replies: [{ ...askNationalCode(), text: `${faIdentity.phoneConfirmed}\n\n${faIdentity.askNationalCode}` }],
      call: null,
      effect: { kind: 'attempt' },
    };
  }
  // Gap cannot tell a forwarded card from one's own: only the number's owner reads its chat.
  if (!codeAllowed(turn)) return toMenu(turn.catalogue, turn.now, faIdentity.codesLimited);
  const { fresh, freshHash } = turn.context.codes;
  const code: Binding = { stage: 'code', mobile, codeHash: freshHash, sentAt: turn.now, wrongTries: 0 };
  return {
    state: { ...state, binding: code, seenAt: turn.now },
    replies: [{ to: `+98${mobile.slice(1)}`, text: faIdentity.codeMessage(fresh) }, askCode()],
    call: null,
    effect: { kind: 'attempt' },
  };
}

function noContact(
  state: BindingState,
  binding: Extract<Binding, { stage: 'contact' }>,
  input: string | null,
  turn: Turn,
): StepResult {
  const typedNumber = input !== null && v.safeParse(mobileSchema, input).success;
  const reason = typedNumber ? faIdentity.typedNumber : faIdentity.notAContact;
  return repeatStage(state, binding, reason, contactReply(), turn);
}

function codeTyped(state: BindingState, binding: Extract<Binding, { stage: 'code' }>, turn: Turn): StepResult {
  if (turn.now - binding.sentAt > CODE_TTL_MS) return toMenu(turn.catalogue, turn.now, faIdentity.codeExpired);
  const typed = turn.context.codes.typedHash;
  if (typed === null || typed !== binding.codeHash) {
    return repeatStage(state, binding, faIdentity.wrongCode, askCode(), turn, faIdentity.tooManyWrongCodes);
  }
  return {
    state: { ...state, binding: { stage: 'national-code', mobile: binding.mobile, wrongTries: 0 }, seenAt: turn.now },
    replies: [{ ...askNationalCode(), text: `${faIdentity.phoneConfirmed}\n\n${faIdentity.askNationalCode}` }],
    call: null,
  };
}

function nationalCodeTyped(
  state: BindingState,
  binding: Extract<Binding, { stage: 'national-code' }>,
  input: string,
  turn: Turn,
): StepResult {
  const parsed = v.safeParse(nationalCodeSchema, input);
  if (!parsed.success) return repeatStage(state, binding, parsed.issues[0].message, askNationalCode(), turn);
  const nationalCode = parsed.output;
  const call: UpstreamCall = {
    service: SHAHKAR.id,
    operation: SHAHKAR.operation,
    pid: SHAHKAR.pid,
    body: { serviceNumber: binding.mobile, serviceType: '2', identificationType: '0', identificationNo: nationalCode },
    subject: nationalCode,
    limited: true,
  };
  return {
    state: { ...state, binding: { stage: 'checking', mobile: binding.mobile, nationalCode }, seenAt: turn.now },
    replies: [],
    call,
  };
}

/**
 * The same stage asked again after `reason`, one wrong try more; the attempt ends (`giveUp`) at the
 * third.
 */
function repeatStage(
  state: BindingState,
  binding: Exclude<Binding, { stage: 'checking' }>,
  reason: string,
  question: Reply,
  turn: Turn,
  giveUp = `${reason}\n\n${fa.tooManyTries}`,
): StepResult {
  const wrongTries = binding.wrongTries + 1;
  if (wrongTries >= MAX_WRONG_TRIES) return toMenu(turn.catalogue, turn.now, giveUp);
  return {
    state: { ...state, binding: { ...binding, wrongTries }, seenAt: turn.now },
    replies: [{ ...question, text: `${reason}\n\n${question.text}` }],
    call: null,
  };
}

const contactReply = (): Reply => ({ text: faIdentity.askContact, keyboard: contactKeyboard() });
const askCode = (): Reply => ({
  text: faIdentity.askCode,
  keyboard: [[{ label: fa.cancelButton, value: fa.cancelButton }]],
});
const askNationalCode = (): Reply => ({ text: faIdentity.askNationalCode, keyboard: formKeyboard() });
