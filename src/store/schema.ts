/**
 * The tables, as drizzle declares them; `npm run db:generate` turns changes here into a SQL
 * migration under migrations/. Times are milliseconds since the epoch.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

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
    /**
     * Random, drawn when the event is claimed: the idempotency keys of the event's calls to the bus
     * derive from it, so reprocessing the event reuses them and no other event ever does (not even
     * after a database restore, or in another deployment sharing the bus).
     */
    callKey: text('call_key'),
    /** After a failed attempt, not tried again before this (a growing backoff). */
    nextAt: integer('next_at').notNull().default(0),
  },
  (table) => [
    index('inbox_chat_status').on(table.channel, table.chatId, table.status, table.id),
    index('inbox_status_received').on(table.status, table.receivedAt),
    index('inbox_status_next').on(table.status, table.nextAt),
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

/**
 * One row per messenger update stream (Soroush legacy): the lease of the one process reading it,
 * and where it got to, so that two readers never hold it at once and the next one resumes there.
 */
export const streamLeases = sqliteTable('stream_leases', {
  /** The messenger's name. */
  name: text('name').primaryKey(),
  leaseOwner: text('lease_owner'),
  leaseUntil: integer('lease_until').notNull().default(0),
  /** The SSE id of the last message stored, sent back as Last-Event-ID; null when the server gives none. */
  lastEventId: text('last_event_id'),
  /** When the last message came: a long silence is reported (a wrong token looks like a quiet bot). */
  lastMessageAt: integer('last_message_at').notNull().default(0),
});

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
    kind: text('kind', { enum: ['reply', 'apology', 'notice'] })
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

/**
 * One row per upstream attempt, in one hash chain per writer (docs/upstream.md, "The audit log"):
 * a writer (an isolate or a process) numbers its rows from 1 and links each to its previous one's
 * hash, so a removed or edited row breaks its chain. No personal data in clear.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    /** Random, drawn when the writer starts. */
    writer: text('writer').notNull(),
    seq: integer('seq').notNull(),
    at: integer('at').notNull(),
    service: text('service').notNull(),
    requestId: text('request_id').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    keyId: text('key_id').notNull(),
    created: integer('created').notNull(),
    nonce: text('nonce').notNull(),
    requestDigest: text('request_digest').notNull(),
    responseDigest: text('response_digest'),
    /** HTTP status, or null when no answer came (a timeout or a refused connection). */
    status: integer('status'),
    latencyMs: integer('latency_ms').notNull(),
    /** Keyed hash and masked tail of the identifier the call was about. */
    subjectHash: text('subject_hash'),
    subjectTail: text('subject_tail'),
    prevHash: text('prev_hash').notNull(),
    rowHash: text('row_hash').notNull(),
  },
  (table) => [primaryKey({ columns: [table.writer, table.seq] })],
);

/** How far the scheduled run has anchored the audit log's chains (the last rowid it covered): one row. */
export const auditAnchorMarks = sqliteTable('audit_anchor_marks', {
  id: integer('id').primaryKey(),
  lastRowid: integer('last_rowid').notNull(),
});

/**
 * One row per chat with a bound identity (docs/bus.md#identity-binding-and-shahkar): the national
 * code and mobile sealed together, bound to the chat; a keyed hash of the national code for
 * lookups.
 */
export const identities = sqliteTable(
  'identities',
  {
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    /** `{nationalCode, mobile}` as JSON, sealed. */
    sealed: text('sealed').notNull(),
    nationalCodeHash: text('national_code_hash').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.channel, table.chatId] }),
    index('identities_national_code').on(table.nationalCodeHash),
  ],
);

/**
 * Identity binding attempts, for the daily limits per chat and per national code: one row when a
 * contact card is accepted, given the national code's keyed hash when Shahkar is asked. Only keyed
 * hashes, no chat id: the rows outlive an erasure (which would otherwise reset the limits) until
 * their window ends.
 */
export const bindingAttempts = sqliteTable(
  'binding_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The keyed hash of the chat (store/limits.ts). */
    chatHash: text('chat_hash').notNull(),
    nationalCodeHash: text('national_code_hash'),
    at: integer('at').notNull(),
  },
  (table) => [
    index('binding_attempts_chat').on(table.chatHash, table.at),
    index('binding_attempts_national_code').on(table.nationalCodeHash, table.at),
  ],
);

/** One-time codes sent, by the keyed hash of the number they went to: a number gets only so many. */
export const codeSends = sqliteTable(
  'code_sends',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    mobileHash: text('mobile_hash').notNull(),
    at: integer('at').notNull(),
  },
  (table) => [index('code_sends_mobile').on(table.mobileHash, table.at)],
);

/**
 * Notices a citizen asked for (docs/notices.md): one row per watched inquiry, keyed to the bound
 * identity's chat (as identities are), which is also the chat told. Its answers (the plate, for
 * traffic fines) are sealed; the fine ids already seen are kept only as keyed hashes, never the
 * answer. `lease_*` is the claim of the scheduled run checking it, so two runs never check it both.
 */
export const subscriptions = sqliteTable(
  'subscriptions',
  {
    /** Random: the spread of its checks over the day and its idempotency keys derive from it. */
    id: text('id').primaryKey(),
    channel: text('channel').notNull(),
    chatId: text('chat_id').notNull(),
    /** The bound identity's national code, keyed hash: at most 3 live subscriptions per identity. */
    nationalCodeHash: text('national_code_hash').notNull(),
    service: text('service').notNull(),
    /** The form's answers as JSON (`{"plate": …}`), sealed. */
    answers: text('answers').notNull(),
    /** Keyed hash of the answers: the same plate is watched once per chat. */
    answersHash: text('answers_hash').notNull(),
    /** A JSON array of keyed hashes of the ids in the last answer (fine ids). */
    seen: text('seen').notNull().default('[]'),
    nextCheckAt: integer('next_check_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    /** Whether the citizen was asked, a week before it ends, to renew it. */
    renewalAsked: integer('renewal_asked').notNull().default(0),
    leaseOwner: text('lease_owner'),
    leaseUntil: integer('lease_until').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (table) => [
    uniqueIndex('subscriptions_watch').on(table.channel, table.chatId, table.service, table.answersHash),
    index('subscriptions_identity').on(table.nationalCodeHash, table.expiresAt),
    index('subscriptions_due').on(table.nextCheckAt),
  ],
);
