/**
 * The subscription a step's effect makes, ends or renews (docs/notices.md), ready for the commit
 * that keeps it: its answers sealed, its identity and answers as keyed hashes, the ids the
 * citizen has already seen as keyed hashes of their own.
 */
import type { Effect } from '../conversation/state.ts';
import type { Deps } from '../deps.ts';
import type { ChatKey } from '../store/db.ts';
import { SUBSCRIPTION_TERM_MS, type SubscriptionChange, sealAnswers } from '../store/subscriptions.ts';
import type { Reply } from '../types.ts';
import { nextCheckAt } from './notice-schedule.ts';

/** The subscription change a step's effects ask for, with what to say if it does not take. */
export async function subscriptionOf(
  deps: Deps,
  chat: ChatKey,
  effects: readonly Effect[],
): Promise<{ change: SubscriptionChange; otherwise: readonly Reply[] } | undefined> {
  const now = deps.now();
  for (const effect of effects) {
    switch (effect.kind) {
      case 'watch': {
        const id = crypto.randomUUID();
        const { answers, seen } = effect.watch;
        const subscription = {
          id,
          service: effect.service,
          nationalCodeHash: await deps.hash(effect.identity.nationalCode),
          answers: await sealAnswers(deps.store, chat, answers),
          answersHash: await deps.hash(`watch:${effect.service}:${JSON.stringify(answers)}`),
          seen: await seenHashes(deps, id, seen),
          nextCheckAt: nextCheckAt(id, now),
          expiresAt: now + SUBSCRIPTION_TERM_MS,
        };
        return { change: { kind: 'watch', subscription }, otherwise: effect.otherwise };
      }
      case 'unwatch':
        return { change: { kind: 'unwatch', id: effect.id }, otherwise: [] };
      case 'renew':
        return {
          change: { kind: 'renew', id: effect.id, expiresAt: now + SUBSCRIPTION_TERM_MS },
          otherwise: effect.otherwise,
        };
    }
  }
  return undefined;
}

/** The replies a commit queued instead of the step's own, when its subscription did not take. */
export function otherwiseOf(effects: readonly Effect[]): Reply[] {
  const effect = effects.find((e) => e.kind === 'watch' || e.kind === 'renew');
  return effect && 'otherwise' in effect ? effect.otherwise : [];
}

/** Keyed per subscription, so that two subscriptions' hashes of one fine cannot be matched. */
export function seenHashes(deps: Deps, id: string, ids: readonly string[]): Promise<string[]> {
  return Promise.all([...new Set(ids)].map((item) => deps.hash(`seen:${id}:${item}`)));
}
