/**
 * The tables, as drizzle declares them; `npm run db:generate` turns changes here into a SQL
 * migration under migrations/. Times are milliseconds since the epoch.
 */
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Dedupe keys (keyed hashes) claimed by accepted updates, each until `expires_at`: a copy that
 * arrives before then is a redelivery. A later copy does not extend the claim.
 */
export const dedupeClaims = sqliteTable('dedupe_claims', {
  key: text('key').primaryKey(),
  /** Random per claim: the inbox row is written only if this claim is the one that won. */
  token: text('token').notNull(),
  expiresAt: integer('expires_at').notNull(),
});

/** Every accepted update, stored before the webhook is answered. */
export const inbox = sqliteTable(
  'inbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    /** The InboundEvent as JSON, sealed (it may hold anything the citizen typed). */
    payload: text('payload').notNull(),
    receivedAt: integer('received_at').notNull(),
    /** `dead`: set aside after failing every attempt; `npm run replay` puts it back. */
    status: text('status', { enum: ['pending', 'done', 'dead'] })
      .notNull()
      .default('pending'),
    processedAt: integer('processed_at'),
    attempts: integer('attempts').notNull().default(0),
  },
  (table) => [
    index('inbox_chat_status').on(table.channel, table.chatId, table.status, table.id),
    index('inbox_status_received').on(table.status, table.receivedAt),
  ],
);

/** One row per chat: its state, a version for compare-and-set, and the lease of its processor. */
export const conversations = sqliteTable(
  'conversations',
  {
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    /** The ConversationState as JSON, sealed; null before the first message is processed. */
    state: text('state'),
    version: integer('version').notNull().default(0),
    leaseOwner: text('lease_owner'),
    leaseUntil: integer('lease_until').notNull().default(0),
    updatedAt: integer('updated_at').notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.channel, table.chatId] })],
);

/** Replies waiting to be sent, first in first out per chat. */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    /** The Reply as JSON, sealed. */
    body: text('body').notNull(),
    /** An apology is never followed by another apology when it, too, cannot be sent. */
    kind: text('kind', { enum: ['reply', 'apology'] })
      .notNull()
      .default('reply'),
    /** `dead`: set aside after failing every attempt; `npm run replay` puts it back. */
    status: text('status', { enum: ['pending', 'sent', 'dead'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAt: integer('next_at').notNull().default(0),
    remoteId: text('remote_id'),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
  },
  (table) => [
    index('outbox_chat_status').on(table.channel, table.chatId, table.status, table.id),
    index('outbox_status_next').on(table.status, table.nextAt),
  ],
);
