/**
 * «حساب من»: the bound identity, masked, with «حذف اطلاعات من»; and the erasure itself, after a
 * confirmation. The engine only decides; the processor deletes the rows (the `erase` effect).
 */
import { faIdentity } from '../i18n/fa-identity.ts';
import type { Identity } from '../types.ts';
import { accountButtons, confirmEraseButtons } from './keyboards.ts';
import { toMenu } from './menu.ts';
import { accountOf, type StepResult, type Turn } from './state.ts';

/** Enough for the owner to recognise, too little to be of use to someone looking over their shoulder. */
export function maskIdentity({ nationalCode, mobile }: Identity): { nationalCode: string; mobile: string } {
  return { nationalCode: `******${nationalCode.slice(-4)}`, mobile: `${mobile.slice(0, 4)}***${mobile.slice(-4)}` };
}

export function showAccount(turn: Turn): StepResult {
  const { identity } = accountOf(turn);
  const masked = identity && maskIdentity(identity);
  const lead = masked ? faIdentity.accountBound(masked.nationalCode, masked.mobile) : faIdentity.accountEmpty;
  const menu = toMenu(turn.catalogue, turn.now, lead);
  // Offered with or without an identity: the conversation and its messages are the citizen's too.
  return { ...menu, replies: menu.replies.map((reply) => ({ ...reply, inline: accountButtons(identity !== null) })) };
}

export function askErase(turn: Turn): StepResult {
  return {
    state: { at: 'confirm-erase', seenAt: turn.now },
    replies: [{ text: faIdentity.confirmErase, inline: confirmEraseButtons() }],
    call: null,
  };
}

/** Anything but the explicit yes keeps everything. */
export function confirmErase(confirmed: boolean, turn: Turn): StepResult {
  if (!confirmed) return toMenu(turn.catalogue, turn.now, faIdentity.notErased);
  return { ...toMenu(turn.catalogue, turn.now, faIdentity.erased), effect: { kind: 'erase' } };
}
