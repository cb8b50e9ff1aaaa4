/** A child's family as the child's record shows it: every field is `family` data of that child. */
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { HOUSEHOLD_RELATIONS } from '../../schema/tables/core';
import { Category, ChildData } from '../../src/access/category.decorator';
import type { FamilyLinkRow } from '../../src/family/family.repo';
import { enumOf } from '../shared/enum-of';

export const HouseholdRelation = enumOf(HOUSEHOLD_RELATIONS);
export type HouseholdRelation = (typeof HOUSEHOLD_RELATIONS)[number];
registerEnumType(HouseholdRelation, { name: 'HouseholdRelation' });

/** Source of `FamilyLink`: `childId` is the child whose record is read, so its family consent decides. */
export type FamilyLinkSource = FamilyLinkRow;

@ObjectType({ description: "A parent, carer or sibling of the child. Shown under the child's `family` category." })
@ChildData()
export class FamilyLink {
  @Field(() => ID, { description: 'Household link id.' })
  id!: string;

  @Field(() => HouseholdRelation, { nullable: true })
  @Category('family')
  relation!: HouseholdRelation | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Parents only: holds parental responsibility (may consent for the child).',
  })
  @Category('family')
  hasParentalResponsibility!: boolean | null;

  @Field(() => ID, { nullable: true, description: 'The parent or carer (for recordConsent).' })
  @Category('family')
  familyMemberId!: string | null;

  @Field(() => String, { nullable: true })
  @Category('family')
  givenName!: string | null;

  @Field(() => String, { nullable: true })
  @Category('family')
  familyName!: string | null;
}
