/**
 * Core model: organisations, practitioners, children (the master person index), household links
 * and involvements (who works with which child, and since when).
 */
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  boolean,
  date,
  doublePrecision,
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

/**
 * `college`: a further education college, the education setting of 16–17-year-olds on its roll;
 * `early_years`: a nursery or childminder holding children below reception age on its roll;
 * `education_welfare`: the council's education welfare (attendance and exclusions) service;
 * `youth_justice`: the youth justice service (youth offending and targeted youth support);
 * `adult_services`: adult social care, adult mental health and substance misuse services, who work
 * with a child's parents; `jobcentre_plus`: the Jobcentre Plus office whose work coach supports them.
 */
export const ORGANISATION_KINDS = [
  'school',
  'health',
  'police',
  'voluntary',
  'council_early_help',
  'social_care',
  'other',
  'college',
  'early_years',
  'education_welfare',
  'youth_justice',
  'adult_services',
  'jobcentre_plus',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];
export const organisationKind = pgEnum('organisation_kind', ORGANISATION_KINDS);

/** The partnership's six Early Help clusters. */
export const CLUSTERS = ['north_west', 'north', 'west', 'east', 'central', 'south'] as const;
export type Cluster = (typeof CLUSTERS)[number];
export const cluster = pgEnum('cluster', CLUSTERS);

export const organisations = pgTable('organisations', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  kind: organisationKind('kind').notNull(),
  cluster: cluster('cluster'),
  /** DfE establishment number (schools), ODS code (health), force code (police). */
  externalCode: text('external_code'),
  /** The practitioner who is the organisation's Designated Safeguarding Lead (one of its own). */
  designatedSafeguardingLeadId: uuid('designated_safeguarding_lead_id').references((): AnyPgColumn => practitioners.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const practitioners = pgTable(
  'practitioners',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    /** The `sub` claim the partnership identity provider issues for this person. */
    subject: text('subject').notNull().unique(),
    displayName: text('display_name').notNull(),
    email: text('email'),
    phone: text('phone'),
    roles: text('roles').array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [index('practitioners_org_idx').on(t.organisationId)],
);

export const GENDERS = ['female', 'male', 'other', 'not_known'] as const;
export type Gender = (typeof GENDERS)[number];
export const gender = pgEnum('gender', GENDERS);

/**
 * Blocking expressions for probabilistic matching (src/matching): the family name's phonetic key
 * (the same value as phoneticKey in src/matching/strings.ts, built from plain string functions so
 * PostgreSQL and PGlite agree without an extension) and the postcode district. Defined once here
 * so the indexes and the blocking query use the very same expression.
 */
const FAMILY_LETTERS = `regexp_replace(lower(family_name), '[^a-z]', '', 'g')`;
export const childFamilyNameKey = sql.raw(
  `(left(${FAMILY_LETTERS}, 1) || rpad(left(replace(substr(regexp_replace(translate(${FAMILY_LETTERS}, 'abcdefghijklmnopqrstuvwxyz', '01230120022455012623010202'), '(.)\\1+', '\\1', 'g'), 2), '0', ''), 3), 3, '0'))`,
);
export const childPostcodeDistrict = sql.raw(
  `(left(upper(replace(postcode, ' ', '')), length(replace(postcode, ' ', '')) - 3))`,
);

export const children = pgTable(
  'children',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    /** Null for an unborn baby, who is recorded by `expectedDate`. */
    dateOfBirth: date('date_of_birth', { mode: 'string' }),
    expectedDate: date('expected_date', { mode: 'string' }),
    gender: gender('gender').notNull().default('not_known'),
    nhsNumber: text('nhs_number'),
    /**
     * Only a traced (PDS-verified) NHS number is trusted for automatic matching. Set by the hub's
     * own trace (`traceNhsNumber`), never by a caller; the trace's provenance is in the columns below.
     */
    nhsNumberTraced: boolean('nhs_number_traced').notNull().default(false),
    /** When the hub traced the number; null for an untraced number (and for records loaded as traced). */
    nhsNumberTracedAt: timestamp('nhs_number_traced_at', { withTimezone: true }),
    /** The subject of the practitioner who asked for the trace. */
    nhsNumberTracedBy: text('nhs_number_traced_by'),
    /** PDS's `search.score` (0–1) for a trace by demographics; 1 for a number verified by read. */
    nhsNumberTraceScore: doublePrecision('nhs_number_trace_score'),
    /** Where the trace was answered: `pds_search` or `pds_read`. */
    nhsNumberTraceSource: text('nhs_number_trace_source'),
    /**
     * PDS holds the child's record as restricted (sensitive): the address is never disclosed to
     * any partner, whatever their role, consent or relationship.
     */
    addressRestricted: boolean('address_restricted').notNull().default(false),
    upn: text('upn'),
    liquidLogicPersonId: text('liquid_logic_person_id'),
    /**
     * The hub's short person number (a sequence: unique, never reused), sent as `pers_person_id`
     * (`EHP` + at least 7 digits, within the SSD's 20 characters) until Liquid Logic gives its own.
     */
    ssdPersonNumber: bigserial('ssd_person_number', { mode: 'number' }).notNull(),
    addressLine: text('address_line'),
    postcode: text('postcode'),
    phone: text('phone'),
    /** Special educational needs or disability: extends the age range to 25. */
    hasSend: boolean('has_send').notNull().default(false),
    /** Normalised name + date of birth + postcode, for probable matching. */
    matchKey: text('match_key').notNull(),
    /** Set when this record was merged into another; reads follow the redirect. */
    mergedInto: uuid('merged_into'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // One live record per identifier: the database, not the service, settles concurrent registrations.
    uniqueIndex('children_nhs_number_live_uq')
      .on(t.nhsNumber)
      .where(sql`merged_into is null and nhs_number is not null`),
    uniqueIndex('children_upn_live_uq').on(t.upn).where(sql`merged_into is null and upn is not null`),
    // Liquid Logic's person id names one hub record, live or retired: inbound changes resolve through it.
    uniqueIndex('children_ssd_person_number_uq').on(t.ssdPersonNumber),
    uniqueIndex('children_liquid_logic_person_id_uq')
      .on(t.liquidLogicPersonId)
      .where(sql`liquid_logic_person_id is not null`),
    index('children_match_key_idx').on(t.matchKey),
    index('children_date_of_birth_idx').on(t.dateOfBirth),
    index('children_district_family_key_idx').on(childPostcodeDistrict, childFamilyNameKey),
    index('children_family_key_dob_idx').on(childFamilyNameKey, t.dateOfBirth),
  ],
);

/** Adults in the child's household or family (parents, carers). */
export const familyMembers = pgTable('family_members', {
  id: uuid('id').primaryKey().defaultRandom(),
  givenName: text('given_name').notNull(),
  familyName: text('family_name').notNull(),
  dateOfBirth: date('date_of_birth', { mode: 'string' }),
  phone: text('phone'),
  addressLine: text('address_line'),
  postcode: text('postcode'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const HOUSEHOLD_RELATIONS = ['parent', 'carer', 'sibling'] as const;
export type HouseholdRelation = (typeof HOUSEHOLD_RELATIONS)[number];
export const householdRelation = pgEnum('household_relation', HOUSEHOLD_RELATIONS);

export const householdLinks = pgTable(
  'household_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    relation: householdRelation('relation').notNull(),
    /** A parent or carer. */
    familyMemberId: uuid('family_member_id').references(() => familyMembers.id),
    /** A sibling, who has a child record of their own. */
    siblingChildId: uuid('sibling_child_id').references(() => children.id),
    hasParentalResponsibility: boolean('has_parental_responsibility').notNull().default(false),
  },
  (t) => [index('household_links_child_idx').on(t.childId)],
);

/**
 * `encompass_recipient`: an organisation an Operation Encompass notification was routed to without
 * any other relationship to the child (the council Early Help team, the child's health visitor),
 * counted for the Operation Encompass purpose only and ending like the force's link.
 * `operation_encompass`: the narrow, time-limited link a police notification gives the sending
 * force to its matched children, counted for the Operation Encompass purpose only
 * (src/access/relationship-kinds.ts); `police_notification` is the force's own general involvement.
 */
export const INVOLVEMENT_KINDS = [
  'on_roll',
  'caseload',
  'lead_practitioner',
  'allocated_social_worker',
  'allocated_family_support',
  'screening',
  'masp',
  'police_notification',
  'vcs_support',
  'taf_member',
  'operation_encompass',
  'encompass_recipient',
] as const;
export type InvolvementKind = (typeof INVOLVEMENT_KINDS)[number];
export const involvementKind = pgEnum('involvement_kind', INVOLVEMENT_KINDS);

/** Organisation or practitioner ↔ child. The relationship half of every access decision. */
export const involvements = pgTable(
  'involvements',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id),
    practitionerId: uuid('practitioner_id').references(() => practitioners.id),
    kind: involvementKind('kind').notNull(),
    startedOn: date('started_on', { mode: 'string' }).notNull(),
    /**
     * The last calendar day it counted (what partners push and the SSD reports). Kept in step with
     * `endsAt` by the database: written alone, it ends at the end of that day in the partnership's
     * time zone; `endsAt` written, it is the day of the last instant before it.
     */
    endedOn: date('ended_on', { mode: 'string' }),
    /**
     * The instant it stops counting (exclusive): what access decisions compare with now. A
     * practitioner replaced at 10:00 is no longer related at 10:00, not at midnight.
     */
    endsAt: timestamp('ends_at', { withTimezone: true }),
    /**
     * The authoritative record it came from: `mis_roll`, `health_caseload`, `police_notification`,
     * `case_workflow`, `liquid_logic` … (null: written before sources were kept).
     */
    source: text('source'),
    /** Who asserted it: the subject of the token that pushed the record. */
    assertedBySubject: text('asserted_by_subject'),
  },
  (t) => [
    index('involvements_child_idx').on(t.childId),
    index('involvements_org_kind_idx').on(t.organisationId, t.kind),
    index('involvements_practitioner_idx').on(t.practitionerId),
  ],
);

/** Merge history: every merge is kept, so ids held by partners keep resolving. */
export const childMerges = pgTable('child_merges', {
  id: uuid('id').primaryKey().defaultRandom(),
  fromChildId: uuid('from_child_id')
    .notNull()
    .references(() => children.id),
  intoChildId: uuid('into_child_id')
    .notNull()
    .references(() => children.id),
  mergedBy: text('merged_by').notNull(),
  reason: text('reason').notNull(),
  mergedAt: timestamp('merged_at', { withTimezone: true }).notNull().defaultNow(),
  /** An undone merge stays in the history; the merged record is live again. */
  undoneAt: timestamp('undone_at', { withTimezone: true }),
  undoneBy: text('undone_by'),
  undoReason: text('undo_reason'),
});

/**
 * The merge ledger: every value a merge changed, so an undo reverses exactly those changes. A row
 * moved from the merged child to the survivor is (table, row, child id column, from id, to id); an
 * identifier the survivor took, or the merged record's redirect, is ('children', child id, column,
 * old value, new value). Values are text; the undo casts them back to the column's type.
 */
export const childMergeMoves = pgTable(
  'child_merge_moves',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    mergeId: uuid('merge_id')
      .notNull()
      .references(() => childMerges.id),
    tableName: text('table_name').notNull(),
    columnName: text('column_name').notNull(),
    /** The row's primary key, as text. */
    rowId: text('row_id').notNull(),
    fromValue: text('from_value'),
    toValue: text('to_value'),
  },
  (t) => [index('child_merge_moves_merge_idx').on(t.mergeId, t.seq)],
);

/**
 * A merge waiting for a second person: proposed by one EH DAS screener, approved (which performs
 * it) or rejected by another. Never rewritten by a merge: it names the records as proposed.
 */
export const childMergeProposals = pgTable(
  'child_merge_proposals',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    fromChildId: uuid('from_child_id')
      .notNull()
      .references(() => children.id),
    intoChildId: uuid('into_child_id')
      .notNull()
      .references(() => children.id),
    reason: text('reason').notNull(),
    /** The matcher's score of the two records and how each field compared, when both can be scored. */
    explanation: jsonb('explanation'),
    status: text('status').notNull().default('pending'),
    proposedBy: text('proposed_by').notNull(),
    proposedByOrganisationId: uuid('proposed_by_organisation_id').notNull(),
    proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull(),
    decidedBy: text('decided_by'),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionReason: text('decision_reason'),
    mergeId: uuid('merge_id').references(() => childMerges.id),
  },
  (t) => [
    index('child_merge_proposals_status_idx').on(t.status, t.proposedAt, t.id),
    index('child_merge_proposals_from_idx').on(t.fromChildId),
    index('child_merge_proposals_into_idx').on(t.intoChildId),
  ],
);
