/**
 * The full performance book's editorial side: each indicator's owner and a narrative per period,
 * and the figures owners submit for the indicators the hub's own data cannot give.
 */
import { doublePrecision, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

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

/**
 * Figures the hub cannot compute (under-18 conceptions, infant mortality …), submitted by the
 * indicator's owner for a period with their source and provenance. Append-only: a correction is a
 * new version, and the book shows the latest.
 */
export const indicatorFigures = pgTable(
  'indicator_figures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    indicator: text('indicator').notNull(),
    periodFrom: text('period_from').notNull(),
    periodTo: text('period_to').notNull(),
    version: integer('version').notNull(),
    value: doublePrecision('value').notNull(),
    numerator: integer('numerator'),
    denominator: integer('denominator'),
    /** Where the figure comes from, e.g. "ONS conception statistics". */
    source: text('source').notNull(),
    /** How it was produced: extract, date, method, who checked it. */
    provenance: text('provenance').notNull(),
    submittedBySubject: text('submitted_by_subject').notNull(),
    submittedByOrganisationId: uuid('submitted_by_organisation_id').notNull(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('indicator_figures_version_uq').on(t.indicator, t.periodFrom, t.periodTo, t.version)],
);
