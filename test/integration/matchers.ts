/**
 * Matchers that read a bot's reply (talk.ts's `Reply`) as a citizen would: a button it offers, the
 * question it asks, the reason it gives for a refused input, the answer it holds. A failure prints
 * the reply's text and buttons, so that a failing conversation test explains itself.
 */
import { expect } from 'vitest';
import type { Reply } from './talk.ts';

/**
 * Paragraphs are joined by a blank line: a reply may lead with a greeting, a reason or a
 * confirmation before its question.
 */
const PARAGRAPH = '\n\n';

interface Verdict {
  pass: boolean;
  message: () => string;
}

function verdict(pass: boolean, isNot: boolean, what: string, reply: Reply): Verdict {
  return { pass, message: () => `expected the reply ${isNot ? 'not ' : ''}${what}; it was:\n${shown(reply)}` };
}

/** The reply as a person would read it off the screen: its text, then its buttons. */
function shown(reply: Reply): string {
  const lines = reply.text.split('\n').map((line) => `  │ ${line}`);
  const row = (labels: string[]) => labels.map((label) => `[${label}]`).join(' ');
  if (reply.keyboard.length > 0) lines.push(`  keyboard: ${row(reply.keyboard)}`);
  if (reply.inline.length > 0) lines.push(`  inline:   ${row(reply.inline)}`);
  if (reply.buttons.length === 0) lines.push('  (no buttons)');
  return lines.join('\n');
}

expect.extend({
  /** A button labelled exactly `label`, on its reply keyboard or inline. */
  toOffer(reply: Reply, label: string) {
    const pass = reply.buttons.some((button) => button.label === label);
    return verdict(pass, this.isNot, `to offer a button «${label}»`, reply);
  },
  /** The reply is `question`, or ends with it as its last paragraph (after a greeting, a reason, …). */
  toAsk(reply: Reply, question: string) {
    const pass = reply.text === question || reply.text.endsWith(`${PARAGRAPH}${question}`);
    return verdict(pass, this.isNot, `to ask «${question}»`, reply);
  },
  /** The reply opens with `reason` as its own paragraph, and goes on (to the question again). */
  toGiveReason(reply: Reply, reason: string) {
    const pass = reply.text.startsWith(`${reason}${PARAGRAPH}`) && reply.text.length > reason.length + PARAGRAPH.length;
    return verdict(pass, this.isNot, `to give the reason «${reason}» and go on`, reply);
  },
  /** The reply's text holds `text` (an address, an amount, a heading …). */
  toAnswer(reply: Reply, text: string | RegExp) {
    const pass = typeof text === 'string' ? reply.text.includes(text) : text.test(reply.text);
    return verdict(pass, this.isNot, `to answer with ${typeof text === 'string' ? `«${text}»` : text}`, reply);
  },
});

interface ReplyMatchers<R> {
  /** A button labelled exactly `label`, on its reply keyboard or inline. */
  toOffer(label: string): R;
  /** The reply is `question`, or ends with it as its last paragraph (after a greeting, a reason, …). */
  toAsk(question: string): R;
  /** The reply opens with `reason` as its own paragraph, and goes on (to the question again). */
  toGiveReason(reason: string): R;
  /** The reply's text holds `text`, or matches it. */
  toAnswer(text: string | RegExp): R;
}

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: merged into vitest's own declaration, which reads `T = any`
  interface Matchers<T = any> extends ReplyMatchers<T> {}
}
