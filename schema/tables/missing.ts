/**
 * Missing from home: "EH DAS ensures return interviews for young people reported
 * missing (not looked after)". One row per missing episode, with its return interview offered,
 * accepted or declined, and completed; the statutory window is 72 hours from the return.
 */
import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { children, organisations, practitioners } from './core';

export const missingEpisodes = pgTable(
  'missing_episodes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    /** When the young person returned (null while still missing): the 72-hour window starts here. */
    returnedAt: timestamp('returned_at', { withTimezone: true }),
    /** police | practitioner */
    reportedBy: text('reported_by').notNull(),
    reportedByOrganisationId: uuid('reported_by_organisation_id')
      .notNull()
      .references(() => organisations.id),
    reportedBySubject: text('reported_by_subject').notNull(),
    policeReference: text('police_reference'),
    interviewOfferedAt: timestamp('interview_offered_at', { withTimezone: true }),
    interviewAcceptedAt: timestamp('interview_accepted_at', { withTimezone: true }),
    interviewDeclinedAt: timestamp('interview_declined_at', { withTimezone: true }),
    interviewCompletedAt: timestamp('interview_completed_at', { withTimezone: true }),
    interviewerPractitionerId: uuid('interviewer_practitioner_id').references(() => practitioners.id),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('missing_episodes_child_idx').on(t.childId, t.startedAt),
    // Returned, interview neither completed nor declined: the overdue queue's scan.
    index('missing_episodes_open_interview_idx')
      .on(t.returnedAt)
      .where(sql`interview_completed_at is null and interview_declined_at is null and returned_at is not null`),
  ],
);
