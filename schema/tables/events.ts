/**
 * Case events: one row per change to a child's case, written in the same transaction as the
 * change. Subscriptions read them (after a NOTIFY carrying the sequence number) and partner
 * adapters can follow them. They hold ids, kinds and field names — never values.
 */
import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const caseEvents = pgTable(
  'case_events',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    childId: uuid('child_id').notNull(),
    kind: text('kind').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    /** ISA categories whose data changed: subscribers without access to them see those redacted. */
    categories: text('categories').array().notNull(),
    changedFields: text('changed_fields').array().notNull(),
    /** Ids of the entities involved, e.g. { ehaId, referralId }. */
    refs: jsonb('refs').notNull(),
    /** Cluster of the case when known, for cluster-wide dashboards. */
    cluster: text('cluster'),
    actorSubject: text('actor_subject').notNull(),
    actorOrganisationId: uuid('actor_organisation_id').notNull(),
  },
  (t) => [index('case_events_child_idx').on(t.childId, t.seq)],
);
