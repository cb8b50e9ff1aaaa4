/**
 * Changes an administrator makes to who may use the hub (practitioners provisioned over SCIM,
 * organisations, term dates): who, when, which record and which attributes — names only, never
 * values. Written in the change's own transaction, so an unaudited change cannot commit.
 * These records are about staff and partners, not children, so they sit outside access_audit.
 */
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const adminChanges = pgTable(
  'admin_changes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    requestId: text('request_id').notNull(),
    callerSubject: text('caller_subject').notNull(),
    callerOrganisationId: uuid('caller_organisation_id').notNull(),
    callerRole: text('caller_role').notNull(),
    clientId: text('client_id'),
    /** `scim`, `graphql`. */
    channel: text('channel').notNull(),
    /** e.g. `practitioner.create`, `practitioner.deactivate`. */
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: uuid('entity_id').notNull(),
    fields: text('fields').array().notNull(),
  },
  (t) => [index('admin_changes_entity_idx').on(t.entity, t.entityId, t.occurredAt)],
);
