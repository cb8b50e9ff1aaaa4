/**
 * The access audit: one row per request (or subscription event) per child touched. Append-only
 * (a trigger refuses UPDATE, DELETE and TRUNCATE; the runtime role holds only SELECT and INSERT)
 * and logged: every row enters an RFC 9162 Merkle log (audit_log_leaves) whose signed checkpoints
 * are published outside the database, so any later edit, removal or insertion is provable.
 */
import { bigint, bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const accessAudit = pgTable(
  'access_audit',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    requestId: text('request_id').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    callerSubject: text('caller_subject').notNull(),
    callerOrganisationId: uuid('caller_organisation_id').notNull(),
    callerRole: text('caller_role').notNull(),
    clientId: text('client_id'),
    purpose: text('purpose'),
    /** query, mutation or subscription, and the operation's name. */
    operation: text('operation').notNull(),
    operationName: text('operation_name'),
    childId: uuid('child_id').notNull(),
    categoriesReturned: text('categories_returned').array().notNull(),
    fieldsReturned: text('fields_returned').array().notNull(),
    /** [{ field, category, code }] */
    fieldsRedacted: jsonb('fields_redacted').notNull(),
    /** { category: "consent:<id>" | "override:<id>" | "isa:<legal basis>" } */
    basis: jsonb('basis').notNull(),
    /** [{ action, fields }]: field names changed, never values. */
    changes: jsonb('changes').notNull(),
    /** Anomaly flags for the DPO, e.g. no_relationship, override_used. */
    flags: text('flags').array().notNull(),
    /** The retired hash chain, kept on rows written before the Merkle log; null since. */
    prevHash: text('prev_hash'),
    hash: text('hash'),
    /**
     * HMAC-SHA-256 of the content with a key the database never holds (src/audit/audit-hash.ts):
     * only rows that carry a valid one are integrated into the log. Required on every row written
     * since the log began (constraint access_audit_mac_required).
     */
    mac: text('mac'),
  },
  (t) => [
    index('access_audit_child_idx').on(t.childId, t.occurredAt),
    index('access_audit_org_idx').on(t.callerOrganisationId, t.occurredAt),
    index('access_audit_subject_idx').on(t.callerSubject, t.occurredAt),
    // verifyAuditChain(from, to) and auditAnomalies(from, to) find their seq range by time.
    index('access_audit_occurred_idx').on(t.occurredAt),
    // accessLog(organisationId | practitionerId, from, to, first, after) pages in chain (seq) order:
    // these let it stop after `first` rows instead of sorting every row of the caller in the window
    // (BENCHMARKS.md has the figures).
    index('access_audit_org_seq_idx').on(t.callerOrganisationId, t.seq),
    index('access_audit_subject_seq_idx').on(t.callerSubject, t.seq),
  ],
);

/**
 * Rows written but not yet in the log: a trigger adds each access_audit row's seq in the row's
 * own transaction; the checkpointer takes them out as it integrates them (within a second).
 */
export const auditLogPending = pgTable('audit_log_pending', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
});

/** The Merkle log's leaves in log order. Append-only, like the audit. */
export const auditLogLeaves = pgTable('audit_log_leaves', {
  leafIndex: bigint('leaf_index', { mode: 'number' }).primaryKey(),
  auditSeq: bigint('audit_seq', { mode: 'number' }).notNull().unique(),
  /** SHA-256(0x00 ‖ entry), hex. */
  leafHash: text('leaf_hash').notNull(),
});

/** Rows refused by the checkpointer (no valid MAC: not written by the hub). Shown to the DPO. */
export const auditLogRejected = pgTable('audit_log_rejected', {
  seq: bigint('seq', { mode: 'number' }).primaryKey(),
  reason: text('reason').notNull(),
  rejectedAt: timestamp('rejected_at', { withTimezone: true }).notNull(),
});

/** A copy of each signed checkpoint; the authoritative ones are published outside the database. */
export const auditLogCheckpoints = pgTable('audit_log_checkpoints', {
  treeSize: bigint('tree_size', { mode: 'number' }).primaryKey(),
  rootHash: text('root_hash').notNull(),
  note: text('note').notNull(),
  signedAt: timestamp('signed_at', { withTimezone: true }).notNull(),
});
