/**
 * Outcomes — distance travelled. The Families Outcome Plan scores each family on
 * the Rickter Scale (life areas, 0–10) at the start, at each review and at closure; and, per
 * child, the Supporting Families headline outcomes present at the start, whether each was achieved,
 * and whether it was sustained 6 months after closure (measured from the closure date).
 */
import { sql } from 'drizzle-orm';
import { boolean, date, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { children } from './core';
import { ehas } from './workflow';

export const rickterAssessments = pgTable(
  'rickter_assessments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ehaId: uuid('eha_id')
      .notNull()
      .references(() => ehas.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    /** start | review | closure */
    point: text('point').notNull(),
    assessedOn: date('assessed_on', { mode: 'string' }).notNull(),
    /** [{ area, score }] with score 0–10, one entry per life area scored. */
    scores: jsonb('scores').$type<{ area: string; score: number }[]>().notNull(),
    recordedBySubject: text('recorded_by_subject').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('rickter_assessments_eha_idx').on(t.ehaId, t.assessedOn),
    // One start and one closure per EHA; reviews as many as held.
    uniqueIndex('rickter_assessments_once_uq').on(t.ehaId, t.point).where(sql`point in ('start', 'closure')`),
  ],
);

export const headlineOutcomes = pgTable(
  'headline_outcomes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ehaId: uuid('eha_id')
      .notNull()
      .references(() => ehas.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    /** One of the ten Supporting Families headline outcomes (src/workflow/needs.ts). */
    outcome: text('outcome').notNull(),
    recordedAtStartOn: date('recorded_at_start_on', { mode: 'string' }).notNull(),
    achievedOn: date('achieved_on', { mode: 'string' }),
    /** Checked on or after closure + 6 months. */
    sustainmentCheckedOn: date('sustainment_checked_on', { mode: 'string' }),
    sustained: boolean('sustained'),
    recordedBySubject: text('recorded_by_subject').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('headline_outcomes_eha_outcome_uq').on(t.ehaId, t.outcome)],
);
