/**
 * The tables, as drizzle declares them; `npm run db:generate` turns changes here into a SQL
 * migration under migrations/. Times are milliseconds since the epoch.
 */
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Every accepted update, claimed by its dedupe key before the webhook is answered. */
export const inbox = sqliteTable(
  'inbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    dedupeKey: text('dedupe_key').notNull().unique(),
    /** The InboundEvent as JSON. */
    payload: text('payload').notNull(),
    receivedAt: integer('received_at').notNull(),
    processedAt: integer('processed_at'),
    attempts: integer('attempts').notNull().default(0),
  },
  (table) => [index('inbox_pending').on(table.channel, table.chatId, table.processedAt, table.id)],
);

/** One row per chat: its state, a version for compare-and-set, and the lease of its processor. */
export const conversations = sqliteTable(
  'conversations',
  {
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    /** The ConversationState as JSON; null before the first message is processed. */
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
    /** The Reply as JSON. */
    body: text('body').notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAt: integer('next_at').notNull().default(0),
    remoteId: text('remote_id'),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
  },
  (table) => [index('outbox_pending').on(table.channel, table.chatId, table.status, table.id)],
);
