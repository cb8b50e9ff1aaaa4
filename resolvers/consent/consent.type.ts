/**
 * The GraphQL face of consent records and safeguarding overrides. They describe the sharing
 * arrangement, not the child: no names or free text (withdrawal reasons and override
 * justifications stay in the database for the DPO).
 */
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { CONSENT_GIVERS, CONSENT_METHODS, OVERRIDE_REVIEWS } from '../../schema/tables/consent';
import { isOverrideInForce } from '../../src/access/in-force';
import type { ConsentRow, OverrideRow } from '../../src/consent/consent.repo';
import { enumOf } from '../shared/enum-of';

export const ConsentGiver = enumOf(CONSENT_GIVERS);
export type ConsentGiver = (typeof CONSENT_GIVERS)[number];
registerEnumType(ConsentGiver, {
  name: 'ConsentGiver',
  description: 'Who gave consent: the young person, a named parent/carer, or both together.',
});

export const ConsentMethod = enumOf(CONSENT_METHODS);
export type ConsentMethod = (typeof CONSENT_METHODS)[number];
registerEnumType(ConsentMethod, {
  name: 'ConsentMethod',
  description: 'Verbal consent may be confirmed in writing later.',
});

export const OverrideReviewStatus = enumOf(OVERRIDE_REVIEWS);
export type OverrideReviewStatus = (typeof OVERRIDE_REVIEWS)[number];
registerEnumType(OverrideReviewStatus, {
  name: 'OverrideReviewStatus',
  description: "The DPO's review of a safeguarding override.",
});

@ObjectType({
  description:
    "A consent to share a child's data with named partners or kinds of partner, for categories and purposes, from a start to an optional expiry. Kept as history when withdrawn or expired.",
})
export class Consent {
  @Field(() => ID) id!: string;
  @Field(() => ID) childId!: string;
  @Field(() => ConsentGiver) givenBy!: ConsentGiver;
  @Field(() => ID, {
    nullable: true,
    description: 'The parent or carer (family member id) who gave it, once known from the family record.',
  })
  familyMemberId!: string | null;
  @Field(() => Boolean, {
    description:
      'False while a parent or carer recorded as stated (name and relationship) has not yet been matched with the family record by EH DAS.',
  })
  giverReconciled!: boolean;
  @Field(() => String, {
    nullable: true,
    description:
      "Day of the competence assessment behind a young person's own consent (YYYY-MM-DD); who assessed and why stay in the record.",
  })
  competenceAssessedOn!: string | null;
  @Field(() => ConsentMethod) method!: ConsentMethod;
  @Field(() => String, { nullable: true, description: 'When verbal consent was confirmed in writing (ISO 8601).' })
  writtenConfirmedAt!: string | null;
  @Field(() => [ID]) organisationIds!: string[];
  @Field(() => [String], { description: 'Organisation kinds, e.g. school, health.' }) organisationKinds!: string[];
  @Field(() => [String], { description: 'ISA data categories.' }) categories!: string[];
  @Field(() => [String], { description: 'Purposes of use.' }) purposes!: string[];
  @Field(() => String) startsAt!: string;
  @Field(() => String, { nullable: true }) expiresAt!: string | null;
  @Field(() => String, { nullable: true }) withdrawnAt!: string | null;
  @Field(() => Boolean, { description: 'In force now: started, not expired, not withdrawn.' }) inForce!: boolean;
  @Field(() => String) recordedAt!: string;
  @Field(() => ID) recordedByOrganisationId!: string;
}

@ObjectType({
  description:
    'Sharing without consent because seeking it would increase the risk of significant harm: justified, at most 72 hours, reviewed by the DPO.',
})
export class SafeguardingOverride {
  @Field(() => ID) id!: string;
  @Field(() => ID) childId!: string;
  @Field(() => [String]) categories!: string[];
  @Field(() => String) declaredAt!: string;
  @Field(() => String) expiresAt!: string;
  @Field(() => String, { nullable: true }) revokedAt!: string | null;
  @Field(() => String) declaredByRole!: string;
  @Field(() => ID) declaredByOrganisationId!: string;
  @Field(() => [ID], {
    description: 'The organisations the override opens its categories to; no other organisation reads under it.',
  })
  recipientOrganisationIds!: string[];
  @Field(() => OverrideReviewStatus) reviewStatus!: OverrideReviewStatus;
  @Field(() => Boolean, {
    description: 'In force now: declared, not expired, not revoked, not found unjustified on review.',
  })
  inForce!: boolean;
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toConsent(row: ConsentRow, now: Date): Consent {
  return {
    id: row.id,
    childId: row.childId,
    givenBy: row.givenBy as ConsentGiver,
    familyMemberId: row.familyMemberId,
    giverReconciled: row.givenBy === 'young_person' || row.familyMemberId !== null,
    competenceAssessedOn: row.competenceAssessedOn,
    method: row.method as ConsentMethod,
    writtenConfirmedAt: iso(row.writtenConfirmedAt),
    organisationIds: row.organisationIds,
    organisationKinds: row.organisationKinds,
    categories: row.categories,
    purposes: row.purposes,
    startsAt: row.startsAt.toISOString(),
    expiresAt: iso(row.expiresAt),
    withdrawnAt: iso(row.withdrawnAt),
    inForce:
      row.startsAt <= now && (!row.expiresAt || row.expiresAt > now) && (!row.withdrawnAt || row.withdrawnAt > now),
    recordedAt: row.recordedAt.toISOString(),
    recordedByOrganisationId: row.recordedByOrganisationId,
  };
}

export function toOverride(row: OverrideRow, now: Date): SafeguardingOverride {
  return {
    id: row.id,
    childId: row.childId,
    categories: row.categories,
    declaredAt: row.declaredAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    revokedAt: iso(row.revokedAt),
    declaredByRole: row.declaredByRole,
    declaredByOrganisationId: row.declaredByOrganisationId,
    recipientOrganisationIds: row.recipientOrganisationIds,
    reviewStatus: row.reviewStatus as OverrideReviewStatus,
    inForce: isOverrideInForce(row, now),
  };
}
