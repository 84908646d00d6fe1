/**
 * What the Soroush legacy runtime tests run against, on free ports of 127.0.0.1: the local libSQL
 * server (migrated), the GSB and municipality sandboxes (the menu it compares with is the whole
 * catalogue's), the Gap sandbox (the worker's settings name it) and the Soroush legacy sandbox; and
 * the citizen's side of the legacy chat.
 */
import { expect } from 'vitest';
import { startLocalStack } from '../../dev/local-stack.ts';
import type {
  LegacyBotMessage,
  LegacyConnection,
  SoroushLegacySandboxOptions,
} from '../../dev/sandboxes/soroush-legacy/index.ts';
import { menuKeyboard } from '../../src/conversation/keyboards.ts';
import { catalogue } from '../../src/services/catalogue.ts';

export interface LegacyStack {
  vars: Record<string, string>;
  legacyUrl: string;
  stop(): Promise<void>;
}

export async function startLegacyStack(legacy: Omit<SoroushLegacySandboxOptions, 'token'> = {}): Promise<LegacyStack> {
  const stack = await startLocalStack({
    parts: ['libsql', 'gsb', 'municipality', 'gap', 'soroushLegacy'],
    soroushLegacy: legacy,
  });
  return { vars: stack.vars, legacyUrl: stack.urls.soroushLegacy, stop: stack.stop };
}

/** A citizen's opaque id, ~60 characters as Soroush's are, fresh per test. */
export function newCitizen(): string {
  return `Gr${crypto.randomUUID().replaceAll('-', '')}${crypto.randomUUID().replaceAll('-', '')}`.slice(0, 60);
}

export async function control(url: string, path: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

/** Pushes a citizen's text into the stream, as the messenger would. */
export const say = (url: string, from: string, body: string) => control(url, '/_sandbox/deliver', { from, body });

export async function sentTo(url: string, to: string): Promise<LegacyBotMessage[]> {
  const response = await fetch(`${url}/_sandbox/messages?to=${encodeURIComponent(to)}`);
  return ((await response.json()) as { messages: LegacyBotMessage[] }).messages;
}

/** Waits until the bot has sent `count` messages to the citizen, and returns them. */
export async function waitForSent(url: string, to: string, count: number, deadlineMs = 10_000) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const messages = await sentTo(url, to);
    if (messages.length >= count) return messages;
    if (Date.now() > until)
      throw new Error(`expected ${count} messages to the citizen within ${deadlineMs} ms, got ${messages.length}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function streams(url: string): Promise<{ open: number; connections: LegacyConnection[] }> {
  return (await (await fetch(`${url}/_sandbox/streams`)).json()) as { open: number; connections: LegacyConnection[] };
}

/** The menu as Soroush legacy shows it: each service a command button that sends its title back. */
export const menuAsSent = menuKeyboard(catalogue).map((row) =>
  row.map((button) => ({ text: button.label, command: button.value })),
);

/** What pressing the button labelled `label` sends: its command, as the citizen's next message. */
export function press(message: LegacyBotMessage | undefined, label: string): string {
  const button = message?.keyboard?.flat().find((b) => b.text === label);
  if (!button) throw new Error(`no button «${label}» on the last message`);
  return button.command;
}
