/**
 * The Early Help case workflow (the partnership's Early Help protocol): referrals, Early Help Assessments (EHAs), Team
 * Around the Family meetings, action plans with their actions, reviews, and the history of every
 * state transition (the performance book counts from it). States are enums; which move is legal
 * from which state lives in one table in src/workflow/transitions.ts, not here.
 */
import { sql } from 'drizzle-orm';
import {
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { consents, safeguardingOverrides } from './consent';
import { children, organisations, practitioners } from './core';

/**
 * Screening outcomes: `accepted` for an EHA; `single_agency_response` (two or fewer needs, one
 * agency meets them); `declined` (signposted); `referred_to_social_care`: may be at risk of
 * significant harm, passed to children's social care's front door (Duty and Advice).
 */
export const REFERRAL_STATUSES = [
  'submitted',
  'accepted',
  'declined',
  'single_agency_response',
  'referred_to_social_care',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export const referralStatus = pgEnum('referral_status', REFERRAL_STATUSES);

/** The protocol's levels of need (step 3 of the leaflet). */
export const LEVELS_OF_NEED = ['universal', 'early_help', 'specialist'] as const;
export type LevelOfNeed = (typeof LEVELS_OF_NEED)[number];
export const levelOfNeed = pgEnum('level_of_need', LEVELS_OF_NEED);

export const EHA_STATUSES = [
  'awaiting_first_taf',
  'taf_held',
  'plan_in_place',
  'under_review',
  'at_masp',
  'stepped_up_awaiting_outcome',
  'closed',
  /** Stepped down to single-agency Family Support Work: no TAF unless it becomes an EHA (escalateToEha). */
  'family_support_work',
] as const;
export type EhaStatus = (typeof EHA_STATUSES)[number];
export const ehaStatus = pgEnum('eha_status', EHA_STATUSES);

/** How an EHA opened: accepted at EH DAS screening, stepped down from social care, or opened by health (Partnership Plus). */
export const EHA_ORIGINS = ['referral', 'step_down', 'health_partnership_plus'] as const;
export type EhaOrigin = (typeof EHA_ORIGINS)[number];
export const ehaOrigin = pgEnum('eha_origin', EHA_ORIGINS);

export const referrals = pgTable(
  'referrals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    status: referralStatus('status').notNull().default('submitted'),
    referralDate: date('referral_date', { mode: 'string' }).notNull(),
    referrerSubject: text('referrer_subject').notNull(),
    referrerOrganisationId: uuid('referrer_organisation_id')
      .notNull()
      .references(() => organisations.id),
    /** [{ category, description }]: the identified needs, from the ten headline outcomes. */
    needs: jsonb('needs').$type<{ category: string; description: string }[]>().notNull(),
    familyMemberIds: uuid('family_member_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** The consent the referral rests on … */
    consentId: uuid('consent_id').references(() => consents.id),
    /** … or, without consent, the safeguarding override in force when it was made. */
    overrideId: uuid('override_id').references(() => safeguardingOverrides.id),
    /** Cluster when known (the referrer's, or the one allocated at acceptance). */
    cluster: text('cluster'),
    /**
     * Existing records the referred child may be (matched internally, not with certainty): for EH DAS
     * screening to confirm or merge, never shown to the referrer.
     */
    matchCandidateIds: uuid('match_candidate_ids').array().notNull().default(sql`'{}'::uuid[]`),
    screenedBySubject: text('screened_by_subject'),
    screenedOn: date('screened_on', { mode: 'string' }),
    decisionRationale: text('decision_rationale'),
    signposting: text('signposting').array(),
    ehaId: uuid('eha_id'),
    /** The level of need the screener judged. */
    levelOfNeed: levelOfNeed('level_of_need'),
    /** Why an EHA was accepted with fewer than the three needs the eligibility rule asks for. */
    belowThresholdReason: text('below_threshold_reason'),
    /**
     * A single agency response is Targeted Support: the agency that gives it, for about 3 months (the
     * date EH DAS looks again), and how it ended. EH DAS follows it until then.
     */
    targetedSupportOrganisationId: uuid('targeted_support_organisation_id').references(() => organisations.id),
    targetedSupportReviewBy: date('targeted_support_review_by', { mode: 'string' }),
    targetedSupportEndedOn: date('targeted_support_ended_on', { mode: 'string' }),
    targetedSupportOutcome: text('targeted_support_outcome'),
    targetedSupportNote: text('targeted_support_note'),
    /** Why an EHA was allocated outside the cluster of the setting whose roll holds the child. */
    outOfClusterReason: text('out_of_cluster_reason'),
    /** Routed to children's social care: the front door it was passed to, and when. */
    frontDoorOrganisationId: uuid('front_door_organisation_id').references(() => organisations.id),
    frontDoorReferredAt: timestamp('front_door_referred_at', { withTimezone: true }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('referrals_child_idx').on(t.childId), index('referrals_status_idx').on(t.status)],
);

export const ehas = pgTable(
  'ehas',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    status: ehaStatus('status').notNull(),
    /** Where the EHA returns when a step up or MASP referral ends with Early Help continuing. */
    resumeStatus: ehaStatus('resume_status'),
    origin: ehaOrigin('origin').notNull(),
    referralId: uuid('referral_id').references(() => referrals.id),
    singleAssessmentRef: text('single_assessment_ref'),
    cluster: text('cluster').notNull(),
    startedOn: date('started_on', { mode: 'string' }).notNull(),
    familySupportManagerId: uuid('family_support_manager_id')
      .notNull()
      .references(() => practitioners.id),
    leadPractitionerId: uuid('lead_practitioner_id').references(() => practitioners.id),
    /** Step down: the first TAF must be held by this date (3 weeks). */
    firstTafDueBy: date('first_taf_due_by', { mode: 'string' }),
    firstTafOn: date('first_taf_on', { mode: 'string' }),
    /** Step down: the social worker expected at the first TAF. */
    expectedFirstTafAttendeeId: uuid('expected_first_taf_attendee_id').references(() => practitioners.id),
    /** Step down: the social care meeting (CIN meeting or CP review conference) EH DAS attended before it … */
    stepDownMeeting: text('step_down_meeting'),
    stepDownMeetingOn: date('step_down_meeting_on', { mode: 'string' }),
    /** … who represented EH DAS there … */
    stepDownEhDasRepresentativeId: uuid('step_down_eh_das_representative_id').references(() => practitioners.id),
    /** … and the support chosen: an EHA, or single-agency Family Support Work. */
    stepDownSupport: text('step_down_support'),
    nextReviewDue: date('next_review_due', { mode: 'string' }),
    /** Family Support Work that became an EHA with a TAF: when, and why. */
    escalatedToEhaOn: date('escalated_to_eha_on', { mode: 'string' }),
    escalationRationale: text('escalation_rationale'),
    stepUpRationale: text('step_up_rationale'),
    socialWorkerId: uuid('social_worker_id').references(() => practitioners.id),
    singleAssessmentOutcome: text('single_assessment_outcome'),
    maspCriteria: text('masp_criteria').array(),
    maspRationale: text('masp_rationale'),
    maspOutcome: text('masp_outcome'),
    maspOutcomeRationale: text('masp_outcome_rationale'),
    closedOn: date('closed_on', { mode: 'string' }),
    closureOutcome: text('closure_outcome'),
    closureRationale: text('closure_rationale'),
    /** Needs met: the family's own words on the help they had, recorded at closure. */
    familyFeedback: text('family_feedback'),
    signposting: text('signposting').array(),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One open EHA per child: the database settles two concurrent acceptances or step downs.
    uniqueIndex('ehas_one_open_per_child_uq').on(t.childId).where(sql`status <> 'closed'`),
    index('ehas_status_idx').on(t.status),
    index('ehas_cluster_idx').on(t.cluster),
  ],
);

export const tafMeetings = pgTable(
  'taf_meetings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ehaId: uuid('eha_id')
      .notNull()
      .references(() => ehas.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    isFirst: boolean('is_first').notNull(),
    chairPractitionerId: uuid('chair_practitioner_id')
      .notNull()
      .references(() => practitioners.id),
    leadPractitionerId: uuid('lead_practitioner_id')
      .notNull()
      .references(() => practitioners.id),
    attendeeOrganisationIds: uuid('attendee_organisation_ids').array().notNull(),
    recordedBySubject: text('recorded_by_subject').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('taf_meetings_eha_idx').on(t.ehaId)],
);

export const actionPlans = pgTable(
  'action_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ehaId: uuid('eha_id')
      .notNull()
      .references(() => ehas.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    /** 1 for the plan agreed at the first TAF; each revision adds one. Only the latest is current. */
    revision: integer('revision').notNull(),
    /** The meeting (TAF or review) the plan was agreed at: the review date is counted from it. */
    agreedOn: date('agreed_on', { mode: 'string' }).notNull(),
    desiredOutcome: text('desired_outcome').notNull(),
    familyStrengths: text('family_strengths').notNull(),
    /** What keeps the child safe and well despite the needs (people, routines, services). */
    protectiveFactors: text('protective_factors').array().notNull().default(sql`'{}'::text[]`),
    /** [{ category, services }]: each identified need and the services to meet it. */
    needs: jsonb('needs').$type<{ category: string; services: string }[]>().notNull(),
    contingencyPlan: text('contingency_plan').notNull(),
    timescales: text('timescales').notNull(),
    /** [{ organisationId, responsibilities, frequencyOfContact }] */
    keyAgencies: jsonb('key_agencies')
      .$type<{ organisationId: string; responsibilities: string; frequencyOfContact: string }[]>()
      .notNull(),
    reviewDate: date('review_date', { mode: 'string' }).notNull(),
    recordedBySubject: text('recorded_by_subject').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('action_plans_eha_revision_uq').on(t.ehaId, t.revision)],
);

export const planActions = pgTable(
  'plan_actions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    planId: uuid('plan_id')
      .notNull()
      .references(() => actionPlans.id),
    ehaId: uuid('eha_id')
      .notNull()
      .references(() => ehas.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    position: integer('position').notNull(),
    description: text('description').notNull(),
    owningOrganisationId: uuid('owning_organisation_id')
      .notNull()
      .references(() => organisations.id),
    dueDate: date('due_date', { mode: 'string' }).notNull(),
    frequencyOfContact: text('frequency_of_contact').notNull(),
    /** Latest progress recorded at a review. */
    status: text('status').notNull().default('not_started'),
  },
  (t) => [index('plan_actions_plan_idx').on(t.planId), index('plan_actions_org_idx').on(t.owningOrganisationId)],
);

export const ehaReviews = pgTable(
  'eha_reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ehaId: uuid('eha_id')
      .notNull()
      .references(() => ehas.id),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    heldOn: date('held_on', { mode: 'string' }).notNull(),
    /** The review date that was due when this review was held. */
    wasDueBy: date('was_due_by', { mode: 'string' }).notNull(),
    onTime: boolean('on_time').notNull(),
    circumstancesChanged: boolean('circumstances_changed').notNull(),
    /** [{ actionId, status, note }] */
    progress: jsonb('progress').$type<{ actionId: string; status: string; note: string }[]>().notNull(),
    nextReviewDate: date('next_review_date', { mode: 'string' }).notNull(),
    /** The level of need judged at the review (null: recorded before levels were kept). */
    levelOfNeed: levelOfNeed('level_of_need'),
    recordedBySubject: text('recorded_by_subject').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('eha_reviews_eha_idx').on(t.ehaId)],
);

/** Every state change of a referral or EHA: the audit trail of the workflow and the performance book's source. */
export const workflowTransitions = pgTable(
  'workflow_transitions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    machine: text('machine').notNull(),
    entityId: uuid('entity_id').notNull(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    cluster: text('cluster'),
    fromState: text('from_state'),
    action: text('action').notNull(),
    toState: text('to_state').notNull(),
    onDate: date('on_date', { mode: 'string' }).notNull(),
    actorSubject: text('actor_subject').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('workflow_transitions_entity_idx').on(t.entityId),
    index('workflow_transitions_date_idx').on(t.onDate, t.action),
  ],
);

/**
 * A case open only to children's social care (Child in Need or Child Protection, no EHA) referred
 * to the Multi Agency Support Panel by its social worker, and the panel's outcome.
 */
export const socialCareMaspReferrals = pgTable(
  'social_care_masp_referrals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    /** `child_in_need` or `child_protection`: where the case stands in social care. */
    socialCareStatus: text('social_care_status').notNull(),
    criteria: text('criteria').array().notNull(),
    rationale: text('rationale').notNull(),
    referredOn: date('referred_on', { mode: 'string' }).notNull(),
    referredBySubject: text('referred_by_subject').notNull(),
    socialWorkerId: uuid('social_worker_id')
      .notNull()
      .references(() => practitioners.id),
    outcome: text('outcome'),
    outcomeRationale: text('outcome_rationale'),
    decidedOn: date('decided_on', { mode: 'string' }),
    /** Stepped down to Early Help: the EHA the social worker's step down then opened. */
    steppedDownEhaId: uuid('stepped_down_eha_id').references(() => ehas.id),
    version: integer('version').notNull().default(1),
  },
  (t) => [index('social_care_masp_referrals_child_idx').on(t.childId)],
);
