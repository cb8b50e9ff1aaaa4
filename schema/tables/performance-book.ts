/**
 * The full performance book's editorial side: each indicator's owner and a
 * narrative per period. The numbers are always computed from the hub's own data.
 */
import { pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const performanceNarratives = pgTable(
  'performance_narratives',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    indicator: text('indicator').notNull(),
    /** The period the narrative speaks to. */
    periodFrom: text('period_from').notNull(),
    periodTo: text('period_to').notNull(),
    owner: text('owner').notNull(),
    narrative: text('narrative').notNull(),
    updatedBySubject: text('updated_by_subject').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('performance_narratives_uq').on(t.indicator, t.periodFrom, t.periodTo)],
);
