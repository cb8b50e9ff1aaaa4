/**
 * Liquid Logic sync: the transactional outbox (one row per change Liquid Logic must hear about,
 * written in the change's own transaction), the last hash delivered per remote entity (change
 * detection), the social care status Liquid Logic sends back, and inbound bookkeeping (processed
 * message ids for replay protection, the poll cursor).
 *
 * The outbox is append-only with respect to merges (see child.repo APPEND_ONLY_TABLES): its
 * `child_id` keeps the id the change was written with; delivery re-resolves the live record.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

export const OUTBOX_STATUSES = ['pending', 'in_flight', 'delivered', 'skipped', 'dead'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
export const outboxStatus = pgEnum('outbox_status', OUTBOX_STATUSES);

export const outbox = pgTable(
  'outbox',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    childId: uuid('child_id').notNull(),
    /** The case event kind that caused this row (child_registered, eha_closed, …). */
    eventKind: text('event_kind').notNull(),
    /** Which adapter call delivers it: person, person_merge, early_help_episode, meeting, … */
    entity: text('entity').notNull(),
    /** Ids of the entities involved, copied from the case event: the record is built from them at delivery. */
    refs: jsonb('refs').notNull(),
    caseEventSeq: bigint('case_event_seq', { mode: 'number' }).notNull(),
    /** The hub request that made the change (its x-request-id, as in the access audit); null for the hub's own work. */
    requestId: text('request_id'),
    /** Sent with every attempt: the remote system stores one record per key, so redelivery is harmless. */
    idempotencyKey: uuid('idempotency_key').notNull().defaultRandom(),
    status: outboxStatus('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    /** While in flight: the claim is the worker's until then, and anyone's after (a killed worker). */
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true }),
    claimedBy: text('claimed_by'),
    /** Error code and HTTP status only — never record content. */
    lastError: text('last_error'),
    lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
    /** SHA-256 of the mapped record, set when delivered or skipped as unchanged. */
    contentHash: text('content_hash'),
    /**
     * The Idempotency-Key of the delivery that settled the row: derived from `idempotency_key` and
     * the content sent, so a replayed answer can only ever confirm the content it was for.
     */
    deliveryKey: uuid('delivery_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('outbox_idempotency_key_uq').on(t.idempotencyKey),
    // Claim scans: a child's earlier rows that hold a row back (undelivered or dead), and the status counts.
    index('outbox_child_waiting_idx').on(t.childId, t.id).where(sql`status in ('pending', 'in_flight', 'dead')`),
    index('outbox_status_idx').on(t.status, t.nextAttemptAt),
    // An EHA's records held in the hub under the Partnership Plus rule, looked up for each Early
    // Help record sent (src/outbox/worker.ts): a handful of rows, not a scan of the whole outbox.
    index('outbox_held_eha_idx')
      .on(sql`(${t.refs} ->> 'ehaId')`)
      .where(sql`content_hash = 'held_in_hub:partnership_plus'`),
  ],
);

/** Last content hash delivered per remote entity (`person:<id>`, `early_help_episode:<id>` …). */
export const syncDeliveredHashes = pgTable('sync_delivered_hashes', {
  entityKey: text('entity_key').primaryKey(),
  contentHash: text('content_hash').notNull(),
  outboxId: bigint('outbox_id', { mode: 'number' }).notNull(),
  deliveredAt: timestamp('delivered_at', { withTimezone: true }).notNull(),
});

export const SOCIAL_CARE_KINDS = ['cin', 'cp_plan', 'looked_after'] as const;
export type SocialCareKind = (typeof SOCIAL_CARE_KINDS)[number];
export const socialCareKind = pgEnum('social_care_kind', SOCIAL_CARE_KINDS);

/** Social care status as Liquid Logic reports it (ISA category `social_care`): one row per remote episode. */
export const socialCareStatuses = pgTable(
  'social_care_statuses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id').notNull(),
    kind: socialCareKind('kind').notNull(),
    /** cine_referral_id, cppl_cp_plan_id or clae_cla_episode_id. */
    remoteEpisodeId: text('remote_episode_id').notNull(),
    status: text('status').notNull(),
    startedOn: date('started_on', { mode: 'string' }),
    endedOn: date('ended_on', { mode: 'string' }),
    /** Remote code (e.g. CIN closure reason RC1), not free text. */
    endReason: text('end_reason'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('social_care_statuses_remote_uq').on(t.kind, t.remoteEpisodeId),
    index('social_care_statuses_child_idx').on(t.childId),
  ],
);

/** Inbound messages already applied (webhook or poll): a replayed message changes nothing. */
export const syncInboundMessages = pgTable('sync_inbound_messages', {
  messageId: text('message_id').primaryKey(),
  kind: text('kind').notNull(),
  via: text('via').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
});

/**
 * Inbound changes about a person the hub does not know yet (ISA category `social_care`: the change
 * as Liquid Logic sent it). Applied when the person appears (Liquid Logic gives the hub its id);
 * after `review_after` they wait in the review queue instead, for a person to match by hand.
 */
export const syncParkedMessages = pgTable(
  'sync_parked_messages',
  {
    messageId: text('message_id').primaryKey(),
    kind: text('kind').notNull(),
    /** The Liquid Logic person id the change names. */
    personId: text('person_id').notNull(),
    change: jsonb('change').notNull(),
    via: text('via').notNull(),
    parkedAt: timestamp('parked_at', { withTimezone: true }).notNull(),
    reviewAfter: timestamp('review_after', { withTimezone: true }).notNull(),
    /** `parked` (waiting for the person) or `review` (waited too long: a person must look). */
    status: text('status').notNull().default('parked'),
  },
  (t) => [index('sync_parked_messages_person_idx').on(t.personId)],
);

/** Named cursors, e.g. the Liquid Logic changes feed position for the poll fallback. */
export const syncCursors = pgTable('sync_cursors', {
  name: text('name').primaryKey(),
  position: text('position').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});
