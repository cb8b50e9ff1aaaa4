/**
 * The family plan view: the family-facing form of the plan — what is going well,
 * what the worries are, what needs to happen, and what the family and agencies will see when
 * things are better — kept in revisions, and the voice of the child in their own words, recorded at
 * assessment and at each review.
 */
import { date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { children } from './core';
import { ehas } from './workflow';

export const familyPlans = pgTable(
  'family_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ehaId: uuid('eha_id')
      .notNull()
      .references(() => ehas.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    /** 1, 2, …: only the latest is current; earlier ones are kept. */
    revision: integer('revision').notNull(),
    goingWell: text('going_well').notNull(),
    worries: text('worries').notNull(),
    needsToHappen: text('needs_to_happen').notNull(),
    whenThingsAreBetter: text('when_things_are_better').notNull(),
    agreedOn: date('agreed_on', { mode: 'string' }).notNull(),
    recordedBySubject: text('recorded_by_subject').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('family_plans_eha_revision_uq').on(t.ehaId, t.revision)],
);

export const voiceOfChild = pgTable(
  'voice_of_child',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ehaId: uuid('eha_id')
      .notNull()
      .references(() => ehas.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    /** assessment | review */
    point: text('point').notNull(),
    recordedOn: date('recorded_on', { mode: 'string' }).notNull(),
    /** The child's own words, as said or written. */
    words: text('words').notNull(),
    /** How it was captured: in conversation, written, drawing, through an advocate … */
    capturedHow: text('captured_how').notNull(),
    recordedBySubject: text('recorded_by_subject').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('voice_of_child_eha_idx').on(t.ehaId, t.recordedOn)],
);
