/**
 * Legal holds: while a hold is in force (not lifted) the retention sweep deletes nothing of the
 * child's case data, e.g. during an inquiry or litigation. Lifting keeps the row, so the hold's
 * history stays answerable.
 */
import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { children } from './core';

export const legalHolds = pgTable(
  'legal_holds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    /** Why the hold was placed (inquiry, litigation, complaint): free text, shown to DPOs only. */
    reason: text('reason').notNull(),
    placedBySubject: text('placed_by_subject').notNull(),
    placedByOrganisationId: uuid('placed_by_organisation_id').notNull(),
    placedAt: timestamp('placed_at', { withTimezone: true }).notNull(),
    liftedAt: timestamp('lifted_at', { withTimezone: true }),
    liftedBySubject: text('lifted_by_subject'),
    liftReason: text('lift_reason'),
  },
  (t) => [index('legal_holds_child_idx').on(t.childId)],
);
