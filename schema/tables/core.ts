/**
 * Core model: organisations, practitioners, children (the master person index), household links
 * and involvements (who works with which child, and since when).
 */
import { sql } from 'drizzle-orm';
import {
  boolean, date, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid,
} from 'drizzle-orm/pg-core';

export const organisationKind = pgEnum('organisation_kind', [
  'school', 'health', 'police', 'voluntary', 'council_early_help', 'social_care', 'other',
]);

/** The partnership's six Early Help clusters. */
export const cluster = pgEnum('cluster', ['north_west', 'north', 'west', 'east', 'central', 'south']);

export const organisations = pgTable('organisations', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  kind: organisationKind('kind').notNull(),
  cluster: cluster('cluster'),
  /** DfE establishment number (schools), ODS code (health), force code (police). */
  externalCode: text('external_code'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const practitioners = pgTable('practitioners', {
  id: uuid('id').primaryKey().defaultRandom(),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  /** The `sub` claim the partnership identity provider issues for this person. */
  subject: text('subject').notNull().unique(),
  displayName: text('display_name').notNull(),
  email: text('email'),
  phone: text('phone'),
  roles: text('roles').array().notNull().default(sql`'{}'::text[]`),
}, (t) => [index('practitioners_org_idx').on(t.organisationId)]);

export const gender = pgEnum('gender', ['female', 'male', 'other', 'not_known']);

export const children = pgTable('children', {
  id: uuid('id').primaryKey().defaultRandom(),
  givenName: text('given_name').notNull(),
  familyName: text('family_name').notNull(),
  /** Null for an unborn baby, who is recorded by `expectedDate`. */
  dateOfBirth: date('date_of_birth', { mode: 'string' }),
  expectedDate: date('expected_date', { mode: 'string' }),
  gender: gender('gender').notNull().default('not_known'),
  nhsNumber: text('nhs_number'),
  /** Only a traced (PDS-verified) NHS number is trusted for automatic matching. */
  nhsNumberTraced: boolean('nhs_number_traced').notNull().default(false),
  upn: text('upn'),
  liquidLogicPersonId: text('liquid_logic_person_id'),
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
}, (t) => [
  // One live record per identifier: the database, not the service, settles concurrent registrations.
  uniqueIndex('children_nhs_number_live_uq').on(t.nhsNumber).where(sql`merged_into is null and nhs_number is not null`),
  uniqueIndex('children_upn_live_uq').on(t.upn).where(sql`merged_into is null and upn is not null`),
  index('children_match_key_idx').on(t.matchKey),
]);

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

export const householdRelation = pgEnum('household_relation', ['parent', 'carer', 'sibling']);

export const householdLinks = pgTable('household_links', {
  id: uuid('id').primaryKey().defaultRandom(),
  childId: uuid('child_id').notNull().references(() => children.id),
  relation: householdRelation('relation').notNull(),
  /** A parent or carer. */
  familyMemberId: uuid('family_member_id').references(() => familyMembers.id),
  /** A sibling, who has a child record of their own. */
  siblingChildId: uuid('sibling_child_id').references(() => children.id),
  hasParentalResponsibility: boolean('has_parental_responsibility').notNull().default(false),
}, (t) => [index('household_links_child_idx').on(t.childId)]);

export const involvementKind = pgEnum('involvement_kind', [
  'on_roll', 'caseload', 'lead_practitioner', 'allocated_social_worker', 'allocated_family_support',
  'screening', 'masp', 'police_notification', 'vcs_support', 'taf_member',
]);

/** Organisation or practitioner ↔ child. The relationship half of every access decision. */
export const involvements = pgTable('involvements', {
  id: uuid('id').primaryKey().defaultRandom(),
  childId: uuid('child_id').notNull().references(() => children.id),
  organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  practitionerId: uuid('practitioner_id').references(() => practitioners.id),
  kind: involvementKind('kind').notNull(),
  startedOn: date('started_on', { mode: 'string' }).notNull(),
  endedOn: date('ended_on', { mode: 'string' }),
}, (t) => [
  index('involvements_child_idx').on(t.childId),
  index('involvements_org_kind_idx').on(t.organisationId, t.kind),
  index('involvements_practitioner_idx').on(t.practitionerId),
]);

/** Merge history: every merge is kept, so ids held by partners keep resolving. */
export const childMerges = pgTable('child_merges', {
  id: uuid('id').primaryKey().defaultRandom(),
  fromChildId: uuid('from_child_id').notNull().references(() => children.id),
  intoChildId: uuid('into_child_id').notNull().references(() => children.id),
  mergedBy: text('merged_by').notNull(),
  reason: text('reason').notNull(),
  mergedAt: timestamp('merged_at', { withTimezone: true }).notNull().defaultNow(),
});
