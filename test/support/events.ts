/** Inbound events for tests, as a parser makes them: a private Gap chat's text unless told otherwise. */
import type { InboundEvent } from '../../src/types.ts';

export function inbound(receivedAt: number, fields: Partial<InboundEvent> = {}): InboundEvent {
  return {
    channel: 'gap',
    chatId: '1',
    userId: null,
    privateChat: true,
    kind: 'text',
    text: null,
    button: null,
    contact: null,
    dedupeKey: fields.text ?? 'k',
    receivedAt,
    ...fields,
  };
}
