/** Consent records and safeguarding overrides: the consent half of every access decision. */
import { sql } from 'drizzle-orm';
import { date, index, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { children, familyMembers } from './core';

/** Consent given by the young person, a named parent/carer, or both together. */
export const CONSENT_GIVERS = ['young_person', 'family_member', 'young_person_and_family_member'] as const;
export type ConsentGiver = (typeof CONSENT_GIVERS)[number];
export const consentGiver = pgEnum('consent_giver', CONSENT_GIVERS);
export const CONSENT_METHODS = ['verbal', 'written'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];
export const consentMethod = pgEnum('consent_method', CONSENT_METHODS);

export const consents = pgTable(
  'consents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    givenBy: consentGiver('given_by').notNull(),
    /** The parent or carer who gave it, when `givenBy` names a family member. */
    familyMemberId: uuid('family_member_id').references(() => familyMembers.id),
    method: consentMethod('method').notNull(),
    /**
     * The giver as the recording practitioner stated them (identity; written, never read back by the
     * referrer): a parent's consent can be recorded by someone who cannot read the family record,
     * and EH DAS reconciles it with the family record.
     */
    giverName: text('giver_name'),
    /** Their relationship to the child as stated, e.g. "mother", "the young person". */
    giverRelationship: text('giver_relationship'),
    /**
     * A young person of 12–15 consents for themselves only on the recording practitioner's
     * assessment of their competence: who assessed, on which day, and why.
     */
    competenceAssessedBy: text('competence_assessed_by'),
    competenceAssessedOn: date('competence_assessed_on', { mode: 'string' }),
    competenceReasoning: text('competence_reasoning'),
    /** Verbal consent confirmed in writing later. */
    writtenConfirmedAt: timestamp('written_confirmed_at', { withTimezone: true }),
    /** Partner organisations named in the consent … */
    organisationIds: uuid('organisation_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** … or whole kinds of organisation (e.g. every school of the child). */
    organisationKinds: text('organisation_kinds').array().notNull().default(sql`'{}'::text[]`),
    categories: text('categories').array().notNull(),
    purposes: text('purposes').array().notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
    withdrawnReason: text('withdrawn_reason'),
    recordedBySubject: text('recorded_by_subject').notNull(),
    recordedByOrganisationId: uuid('recorded_by_organisation_id').notNull(),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('consents_child_idx').on(t.childId)],
);

export const OVERRIDE_REVIEWS = ['pending', 'upheld', 'not_upheld'] as const;
export type OverrideReview = (typeof OVERRIDE_REVIEWS)[number];
export const overrideReview = pgEnum('override_review', OVERRIDE_REVIEWS);

/**
 * Sharing without consent where seeking it would place the child at increased risk of
 * significant harm: recorded, justified, time-limited, and reviewed by the DPO.
 */
export const safeguardingOverrides = pgTable(
  'safeguarding_overrides',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    childId: uuid('child_id')
      .notNull()
      .references(() => children.id),
    categories: text('categories').array().notNull(),
    justification: text('justification').notNull(),
    declaredBySubject: text('declared_by_subject').notNull(),
    declaredByOrganisationId: uuid('declared_by_organisation_id').notNull(),
    declaredByRole: text('declared_by_role').notNull(),
    /**
     * The organisations the override opens its categories to (default: the declaring organisation
     * and the council's Early Help service); no other organisation reads under it.
     */
    recipientOrganisationIds: uuid('recipient_organisation_ids').array().notNull().default(sql`'{}'::uuid[]`),
    declaredAt: timestamp('declared_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    reviewStatus: overrideReview('review_status').notNull().default('pending'),
    reviewedBySubject: text('reviewed_by_subject'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    reviewNote: text('review_note'),
  },
  (t) => [index('overrides_child_idx').on(t.childId)],
);
