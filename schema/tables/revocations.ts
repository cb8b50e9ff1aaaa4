/**
 * Revoked credentials: a service account (client id) or a subject whose tokens the hub refuses
 * from now on, even before they expire. Read by every instance (cached a few seconds), so a
 * revocation takes effect without a restart. Rows are never deleted; `restoredAt` lifts one.
 */
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const revokedCredentials = pgTable(
  'revoked_credentials',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** `client`: matches a token's client_id/azp; `subject`: matches its sub. */
    kind: text('kind', { enum: ['client', 'subject'] }).notNull(),
    value: text('value').notNull(),
    /** Limit to one issuer; null: whatever issuer. */
    issuer: text('issuer'),
    reason: text('reason').notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }).notNull(),
    revokedBySubject: text('revoked_by_subject').notNull(),
    revokedByOrganisationId: uuid('revoked_by_organisation_id').notNull(),
    restoredAt: timestamp('restored_at', { withTimezone: true }),
  },
  (t) => [index('revoked_credentials_value_idx').on(t.kind, t.value)],
);
