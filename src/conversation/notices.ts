/**
 * «خبرم کن» and «اشتراک‌های من» (docs/notices.md): offering a subscription on an answer that can be
 * watched, explaining it before anything is kept, listing the chat's subscriptions, and the buttons
 * of a notice (end it, renew it). The engine only decides; the processor keeps or deletes the rows
 * (the `watch`, `unwatch` and `renew` effects), and the scheduled run does the checking.
 */
import * as v from 'valibot';
import { faNotices } from '../i18n/fa-notices.ts';
import type { Service } from '../services/types.ts';
import type { InboundEvent, Reply, UpstreamOutcome } from '../types.ts';
import { confirmWatchButtons, notifyButton, SUBSCRIPTION_ACTION, subscriptionButton } from './keyboards.ts';
import { toMenu } from './menu.ts';
import { accountOf, type StepResult, type Turn, type Watched, watchesOf } from './state.ts';

const DAY_MS = 24 * 60 * 60_000;

/** A press of a notice's or a list's button: which subscription, and what to do with it. */
export interface SubscriptionAction {
  action: 'stop' | 'renew';
  id: string;
}

/** The subscription button an event is a press of, if it is one (a typed message never is). */
export function subscriptionActionIn(event: InboundEvent): SubscriptionAction | null {
  const value = event.kind === 'button' ? event.button?.value : undefined;
  const match = value?.startsWith(SUBSCRIPTION_ACTION)
    ? /^(stop|renew):([\w-]{1,64})$/.exec(value.slice(SUBSCRIPTION_ACTION.length))
    : null;
  return match ? { action: match[1] as SubscriptionAction['action'], id: match[2] as string } : null;
}

/** Ends or renews a subscription of this chat, from any step: its buttons come with notices at any time. */
export function onSubscriptionAction({ action, id }: SubscriptionAction, turn: Turn): StepResult {
  if (action === 'stop')
    return { ...toMenu(turn.catalogue, turn.now, faNotices.cancelled), effect: { kind: 'unwatch', id } };
  const otherwise = toMenu(turn.catalogue, turn.now, faNotices.gone).replies;
  return { ...toMenu(turn.catalogue, turn.now, faNotices.renewed), effect: { kind: 'renew', id, otherwise } };
}

/** Adds «خبرم کن» under an answer's next-step buttons. */
export function offeringWatch(replies: Reply[]): Reply[] {
  return replies.map((reply) => ({ ...reply, inline: [...(reply.inline ?? []), notifyButton()] }));
}

/** «خبرم کن» pressed: what it means, before anything is kept. */
export function explainWatch(service: Service, watch: Watched, turn: Turn): StepResult {
  const what = service.watch?.what(watch.answers) ?? service.title;
  return {
    state: { at: 'confirm-watch', service: service.id, watch, seenAt: turn.now },
    replies: [{ text: faNotices.explain(what), inline: confirmWatchButtons() }],
    call: null,
  };
}

/** The answer to the explanation: anything but the yes keeps nothing. */
export function confirmWatch(service: Service, watch: Watched, confirmed: boolean, turn: Turn): StepResult {
  const { catalogue, now } = turn;
  if (!confirmed) return toMenu(catalogue, now, faNotices.notSubscribed);
  const { identity } = accountOf(turn);
  // Erased meanwhile (from another device): nothing to subscribe for.
  if (!identity) return toMenu(catalogue, now);
  const otherwise = toMenu(catalogue, now, faNotices.full).replies;
  return {
    ...toMenu(catalogue, now, faNotices.subscribed),
    effect: { kind: 'watch', service: service.id, watch, identity, otherwise },
  };
}

/** «اشتراک‌های من»: each subscription with the days it has left, and a button that ends it. */
export function listWatches(turn: Turn): StepResult {
  const { catalogue, now } = turn;
  const listed = watchesOf(turn).flatMap((watch) => {
    const what = catalogue.byId(watch.service)?.watch?.what(watch.answers);
    return what ? [{ ...watch, what }] : [];
  });
  if (listed.length === 0) return toMenu(catalogue, now, faNotices.none);
  const lines = listed.map((watch, i) => faNotices.item(i + 1, watch.what, daysLeft(watch.expiresAt, now)));
  const menu = toMenu(catalogue, now, [faNotices.heading, ...lines].join('\n'));
  const buttons = listed.map((watch, i) => [subscriptionButton(faNotices.cancelNth(i + 1), 'stop', watch.id)]);
  return { ...menu, replies: menu.replies.map((reply) => ({ ...reply, inline: buttons })) };
}

/** The ids an answer lists, when its service can be watched and the answer is one (a 404 lists none). */
export function watchedIds(service: Service, outcome: UpstreamOutcome): string[] | null {
  if (!service.watch) return null;
  if (outcome.kind === 'not-found') return [];
  if (outcome.kind !== 'ok') return null;
  const parsed = v.safeParse(service.upstream.result, outcome.result);
  return parsed.success ? service.watch.ids(parsed.output) : null;
}

/** Whole days left, rounded up: a subscription ending in an hour has one day left. */
export function daysLeft(expiresAt: number, now: number): number {
  return Math.max(0, Math.ceil((expiresAt - now) / DAY_MS));
}
