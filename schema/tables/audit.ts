/**
 * The access audit: one row per request (or subscription event) per child touched. Append-only
 * (a trigger refuses UPDATE, DELETE and TRUNCATE) and hash-chained: each row's hash covers its
 * content and the previous row's hash, so an edit behind the hub's back breaks the chain.
 */
import { bigserial, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const accessAudit = pgTable('access_audit', {
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
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
}, (t) => [
  index('access_audit_child_idx').on(t.childId, t.occurredAt),
  index('access_audit_org_idx').on(t.callerOrganisationId, t.occurredAt),
  index('access_audit_subject_idx').on(t.callerSubject, t.occurredAt),
  // verifyAuditChain(from, to) and auditAnomalies(from, to) find their seq range by time.
  index('access_audit_occurred_idx').on(t.occurredAt),
  // accessLog(organisationId | practitionerId, from, to, first, after) pages in chain (seq) order:
  // these let it stop after `first` rows instead of sorting every row of the caller in the window
  // (16 ms → 0.15 ms for a school with ~700 rows in 90 days at 1M audit rows; see BENCHMARKS.md).
  index('access_audit_org_seq_idx').on(t.callerOrganisationId, t.seq),
  index('access_audit_subject_seq_idx').on(t.callerSubject, t.seq),
  // One successor per row: concurrent appenders cannot fork the chain, so an append needs no
  // lock and no transaction (src/audit/audit.repo.ts appendAuditRows).
  uniqueIndex('access_audit_prev_hash_uq').on(t.prevHash),
]);
