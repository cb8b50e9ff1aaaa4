/**
 * Quality assurance: managers' monthly case audits. A sample per cluster and
 * month, drawn reproducibly from its seed (the same seed always draws the same cases), and a
 * grading with findings per audited case; the trend over months is counted from the gradings.
 * Findings are about practice, and must not repeat the child's personal data.
 */
import { date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { children } from './core';
import { ehas } from './workflow';

export const qaSamples = pgTable(
  'qa_samples',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    cluster: text('cluster').notNull(),
    /** YYYY-MM */
    month: text('month').notNull(),
    seed: text('seed').notNull(),
    openCount: integer('open_count').notNull(),
    closedCount: integer('closed_count').notNull(),
    /** The EHAs drawn, in draw order. */
    ehaIds: uuid('eha_ids').array().notNull(),
    drawnBySubject: text('drawn_by_subject').notNull(),
    drawnAt: timestamp('drawn_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('qa_samples_cluster_month_uq').on(t.cluster, t.month)],
);

export const qaCaseAudits = pgTable(
  'qa_case_audits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sampleId: uuid('sample_id')
      .notNull()
      .references(() => qaSamples.id),
    ehaId: uuid('eha_id')
      .notNull()
      .references(() => ehas.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    /** outstanding | good | requires_improvement | inadequate */
    grade: text('grade').notNull(),
    findings: text('findings').notNull(),
    auditedOn: date('audited_on', { mode: 'string' }).notNull(),
    auditorSubject: text('auditor_subject').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    uniqueIndex('qa_case_audits_sample_eha_uq').on(t.sampleId, t.ehaId),
    index('qa_case_audits_eha_idx').on(t.ehaId),
  ],
);
