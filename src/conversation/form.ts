/**
 * A service's form, one question at a time: asking (a question's choices as inline buttons),
 * checking an answer, going one question back, explaining the question, and giving way kindly
 * to the menu after repeated wrong answers. A complete form becomes the service's upstream call.
 */
import * as v from 'valibot';
import { fa } from '../i18n/fa.ts';
import { type Service, type ServiceInput, schemaOf } from '../services/types.ts';
import type { Reply, UpstreamCall } from '../types.ts';
import { normaliseText } from '../validation/normalise.ts';
import { choiceButtons, formKeyboard } from './keyboards.ts';
import { toMenu } from './menu.ts';
import { type Answers, accountOf, type FormState, type StepResult, type Turn } from './state.ts';

/** Wrong answers in a row to one question before the form gives way to the menu. */
const MAX_WRONG_TRIES = 3;

/** How an answer reads against its question. */
type Reading =
  | { kind: 'answer'; value: string }
  | { kind: 'wrong'; reason: string }
  /** A press of a button that belongs to another question (an older message's buttons stay on screen). */
  | { kind: 'stale' };

/**
 * Asks the first unanswered question, or makes the service's call when every question is answered.
 * A personal service is only opened with a bound identity (engine.ts binds one first).
 */
export function ask(service: Service, answers: Answers, turn: Turn): StepResult {
  const { now } = turn;
  const question = currentQuestion(service, answers);
  if (question) {
    const state: FormState = { at: 'form', service: service.id, answers, wrongTries: 0, seenAt: now };
    return { state, replies: [questionReply(question)], call: null };
  }
  const call = serviceCall(service, answers, turn);
  // An identity cannot go missing within a form (erasing it resets the chat); were it ever to, start over.
  if (!call) return toMenu(turn.catalogue, now);
  return { state: { at: 'calling', service: service.id, answers, seenAt: now }, replies: [], call };
}

function serviceCall(service: Service, answers: Answers, turn: Turn): UpstreamCall | null {
  const { operation, pid } = service.upstream;
  if (!service.identity) return { service: service.id, operation, pid, body: service.upstream.body(answers) };
  const { identity } = accountOf(turn);
  if (!identity) return null;
  return { service: service.id, operation, pid, body: service.upstream.body(answers, identity) };
}

/** A service's form from its first question, that question answered already when the citizen `typed` it. */
export function openForm(service: Service, typed: string | null, turn: Turn): StepResult {
  if (typed === null || service.inputs.length === 0) return ask(service, {}, turn);
  const form: FormState = { at: 'form', service: service.id, answers: {}, wrongTries: 0, seenAt: turn.now };
  return answer(service, form, typed, false, turn);
}

/** Takes an answer (typed, or `pressed` on a button) to the current question. */
export function answer(service: Service, form: FormState, input: string, pressed: boolean, turn: Turn): StepResult {
  const question = currentQuestion(service, form.answers);
  if (!question) return ask(service, form.answers, turn);
  const reading = readAnswer(question, input, pressed, turn.now);
  switch (reading.kind) {
    case 'answer':
      return ask(service, { ...form.answers, [question.name]: reading.value }, turn);
    case 'stale':
      return askAgain(form, question, turn.now, fa.staleButton);
    case 'wrong': {
      const wrongTries = form.wrongTries + 1;
      if (wrongTries >= MAX_WRONG_TRIES) return toMenu(turn.catalogue, turn.now, fa.tooManyTries);
      return askAgain({ ...form, wrongTries }, question, turn.now, reading.reason);
    }
  }
}

/** One question back, forgetting its answer; from the first question, back to the menu. */
export function back(service: Service, form: FormState, turn: Turn): StepResult {
  // Answers are kept in question order, so the last entry is the previous question's.
  const answered = Object.entries(form.answers);
  if (answered.length === 0) return toMenu(turn.catalogue, turn.now);
  return ask(service, Object.fromEntries(answered.slice(0, -1)), turn);
}

/** The current question's help (where to find the answer, an example), then the question again. */
export function explain(service: Service, form: FormState, turn: Turn): StepResult {
  const question = currentQuestion(service, form.answers);
  if (!question) return ask(service, form.answers, turn);
  const help = question.help ? `${question.help}\n${fa.formControls}` : fa.formControls;
  return askAgain(form, question, turn.now, help);
}

function currentQuestion(service: Service, answers: Answers): ServiceInput | undefined {
  return service.inputs[Object.keys(answers).length];
}

function readAnswer(question: ServiceInput, input: string, pressed: boolean, now: number): Reading {
  const { choices } = question;
  if (!choices) return pressed ? { kind: 'stale' } : validate(question, input, now);
  const said = normaliseText(input);
  const chosen = pressed
    ? choices.find((choice) => choice.value === input)
    : choices.find((choice) => normaliseText(choice.label) === said || normaliseText(choice.value) === said);
  if (chosen) return validate(question, chosen.value, now);
  return pressed ? { kind: 'stale' } : { kind: 'wrong', reason: fa.notAChoice };
}

function validate(question: ServiceInput, input: string, now: number): Reading {
  const parsed = v.safeParse(schemaOf(question, now), input);
  if (parsed.success) return { kind: 'answer', value: parsed.output };
  return { kind: 'wrong', reason: parsed.issues[0].message };
}

function askAgain(form: FormState, question: ServiceInput, now: number, lead: string): StepResult {
  return { state: { ...form, seenAt: now }, replies: [questionReply(question, lead)], call: null };
}

function questionReply(question: ServiceInput, lead?: string): Reply {
  return {
    text: lead ? `${lead}\n\n${question.prompt}` : question.prompt,
    keyboard: formKeyboard(),
    ...(question.choices && { inline: choiceButtons(question.choices) }),
  };
}
