/**
 * Partner feeds: what health trusts, schools, police and voluntary organisations post into the
 * hub. Every submission is kept once per (organisation, feed, the partner's own key) with a hash
 * of its canonical content, so a retry replays the stored answer and a changed payload under the
 * same key is a CONFLICT. A submission whose child cannot be matched with certainty is held in
 * `pending_matches` until a practitioner resolves it: nothing posted is ever dropped.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { children, organisations } from './core';

/** One row per accepted submission; `response` is replayed verbatim on a retry. */
export const feedSubmissions = pgTable(
  'feed_submissions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    /** health | school | police | vcs */
    feed: text('feed').notNull(),
    /** The partner's own key: trust record id, UPN + period, police reference, VCS contact id. */
    externalRef: text('external_ref').notNull(),
    /** sha256 of the canonical (key-sorted, normalised) payload. */
    contentHash: text('content_hash').notNull(),
    response: jsonb('response'),
    /**
     * Answered but nothing kept (a voluntary organisation's contact without the family's consent, or
     * for a child the hub does not hold): a retry with the same content is evaluated again under this
     * id, so a contact sent again once consent is recorded is kept rather than replayed away.
     */
    refused: boolean('refused').notNull().default(false),
    submittedBySubject: text('submitted_by_subject').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
    /**
     * A submission answered at once and matched and applied after the receipt (health, police): the
     * validated payload and the request it came in (for the audit of what it changes), kept until
     * the feed inbox has applied or held it, then cleared. Null once done, and for feeds applied
     * within the request.
     */
    inbox: jsonb('inbox'),
  },
  (t) => [
    uniqueIndex('feed_submissions_key_uq').on(t.organisationId, t.feed, t.externalRef),
    index('feed_submissions_inbox_idx').on(t.receivedAt).where(sql`${t.inbox} is not null`),
  ],
);

/** A valid submission held because its child could not be matched with certainty. */
export const pendingMatches = pgTable(
  'pending_matches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    submissionId: uuid('submission_id')
      .notNull()
      .references(() => feedSubmissions.id),
    feed: text('feed').notNull(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    /** no_match | ambiguous | untraced_nhs_number | not_on_roll | nhs_number_mismatch */
    reason: text('reason').notNull(),
    candidateChildIds: uuid('candidate_child_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** The normalised part of the submission that concerns this child, applied on resolution. */
    payload: jsonb('payload').notNull(),
    /** The probabilistic matcher's scores and per-field weights for each candidate, for the EH DAS reviewer. */
    explanation: jsonb('explanation'),
    /** pending | resolved */
    status: text('status').notNull().default('pending'),
    resolvedChildId: uuid('resolved_child_id').references(() => children.id),
    resolvedBySubject: text('resolved_by_subject'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('pending_matches_status_idx').on(t.status, t.createdAt)],
);

/** Health level history (Universal, Universal Plus, Universal Partnership Plus) and contacts. */
export const healthUpdates = pgTable(
  'health_updates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    recordId: text('record_id').notNull(),
    level: text('level').notNull(),
    previousLevel: text('previous_level'),
    effectiveDate: date('effective_date', { mode: 'string' }).notNull(),
    contactType: text('contact_type').notNull(),
    summary: text('summary').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('health_updates_child_idx').on(t.childId, t.effectiveDate),
    uniqueIndex('health_updates_record_uq').on(t.organisationId, t.recordId),
  ],
);

/** Attendance for a period, per pupil, as the school's MIS reports it. */
export const schoolAttendance = pgTable(
  'school_attendance',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    periodStart: date('period_start', { mode: 'string' }).notNull(),
    periodEnd: date('period_end', { mode: 'string' }).notNull(),
    attendancePercent: numeric('attendance_percent', { precision: 5, scale: 2, mode: 'number' }).notNull(),
    fixedPeriodExclusions: integer('fixed_period_exclusions').notNull().default(0),
    exclusionDays: numeric('exclusion_days', { precision: 5, scale: 1, mode: 'number' }).notNull().default(0),
    /** Under 90% attendance: the partnership's persistent absence (>10%) indicator. */
    persistentAbsence: boolean('persistent_absence').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('school_attendance_child_idx').on(t.childId, t.periodEnd),
    index('school_attendance_period_idx').on(t.periodStart, t.periodEnd),
  ],
);

/** An Operation Encompass incident as the police sent it. `location` is stored, never logged. */
export const policeIncidents = pgTable('police_incidents', {
  id: uuid('id').primaryKey().defaultRandom(),
  organisationId: uuid('organisation_id')
    .notNull()
    .references(() => organisations.id),
  policeReference: text('police_reference').notNull(),
  occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  location: text('location').notNull(),
  circumstances: text('circumstances').notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
});

/** A child named in an incident; `childId` is null while the match is held for review. */
export const policeIncidentChildren = pgTable(
  'police_incident_children',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => policeIncidents.id),
    childId: uuid('child_id').references(() => children.id),
    present: boolean('present').notNull(),
    whereDuring: text('where_during'),
    voiceOfChild: text('voice_of_child'),
  },
  (t) => [index('police_incident_children_child_idx').on(t.childId)],
);

/** The notification to a school's DSL (or the council Early Help team) and its acknowledgement. */
export const policeNotifications = pgTable(
  'police_notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => policeIncidents.id),
    incidentChildId: uuid('incident_child_id')
      .notNull()
      .references(() => policeIncidentChildren.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    recipientOrganisationId: uuid('recipient_organisation_id')
      .notNull()
      .references(() => organisations.id),
    /** school_dsl | early_help_team */
    route: text('route').notNull(),
    /** Start of the recipient's next school day after the hub received it. */
    deadline: timestamp('deadline', { withTimezone: true }).notNull(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
    acknowledgedBySubject: text('acknowledged_by_subject'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('police_notifications_recipient_idx').on(t.recipientOrganisationId, t.acknowledgedAt),
    index('police_notifications_child_idx').on(t.childId),
  ],
);

/**
 * Days schools are closed (holidays, INSET days): the term calendar behind police notification
 * deadlines. A row without an organisation is the local authority's calendar; a row with one is
 * that school's own (independent schools, academies with other terms).
 */
export const schoolClosures = pgTable(
  'school_closures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id').references(() => organisations.id),
    firstDay: date('first_day', { mode: 'string' }).notNull(),
    lastDay: date('last_day', { mode: 'string' }).notNull(),
    /** e.g. "Autumn half term", "INSET day". */
    label: text('label').notNull(),
  },
  (t) => [index('school_closures_org_idx').on(t.organisationId, t.firstDay)],
);

/** A voluntary organisation's contact with a child whose family consented to it. */
export const vcsContacts = pgTable(
  'vcs_contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    contactRef: text('contact_ref').notNull(),
    contactDate: date('contact_date', { mode: 'string' }).notNull(),
    contactType: text('contact_type').notNull(),
    summary: text('summary').notNull(),
    consentId: uuid('consent_id').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('vcs_contacts_child_idx').on(t.childId, t.contactDate)],
);
