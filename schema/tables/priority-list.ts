/**
 * Priority Children's List: each cluster's locality meeting reviews children
 * identified as vulnerable. An entry records who added the child and why, and the meeting's
 * decision (e.g. EHA required → allocated to the most relevant professional).
 */
import { sql } from 'drizzle-orm';
import { date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { children, organisations, practitioners } from './core';

export const priorityListEntries = pgTable(
  'priority_list_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    cluster: text('cluster').notNull(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    reason: text('reason').notNull(),
    addedOn: date('added_on', { mode: 'string' }).notNull(),
    addedBySubject: text('added_by_subject').notNull(),
    addedByOrganisationId: uuid('added_by_organisation_id')
      .notNull()
      .references(() => organisations.id),
    /** listed | decided */
    status: text('status').notNull().default('listed'),
    meetingOn: date('meeting_on', { mode: 'string' }),
    /** eha_required | single_agency_support | monitor | refer_to_das | no_further_action */
    decision: text('decision'),
    decisionRationale: text('decision_rationale'),
    allocatedPractitionerId: uuid('allocated_practitioner_id').references(() => practitioners.id),
    decidedBySubject: text('decided_by_subject'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('priority_list_cluster_idx').on(t.cluster, t.status),
    // A child is on a cluster's list once until the meeting decides.
    uniqueIndex('priority_list_one_listed_uq').on(t.cluster, t.childId).where(sql`status = 'listed'`),
  ],
);
