import { Field, ID, InputType } from 'type-graphql';
import { RegisterChildInput } from '../child/child.input';
import { CompetenceAssessmentInput } from '../consent/consent.input';
import { ConsentGiver, ConsentMethod } from '../consent/consent.type';
import { HouseholdRelationInput, NeedCategory } from '../eha/eha.enums';

@InputType()
export class IdentifiedNeedInput {
  @Field(() => NeedCategory) category!: NeedCategory;
  @Field(() => String, { description: 'A short description of the need for this family.' }) description!: string;
}

@InputType({ description: 'A parent or carer named in the referral, added to the family record.' })
export class ReferralFamilyMemberInput {
  @Field(() => String) givenName!: string;
  @Field(() => String) familyName!: string;
  @Field(() => String, { nullable: true }) dateOfBirth?: string | null;
  @Field(() => HouseholdRelationInput) relation!: HouseholdRelationInput;
  @Field(() => Boolean, { nullable: true }) hasParentalResponsibility?: boolean | null;
}

@InputType({
  description:
    "The consent as the family gave it, recorded with the referral. It must cover early_help and name the council's Early Help service (by id or the council_early_help kind).",
})
export class ReferralConsentInput {
  @Field(() => ConsentGiver) givenBy!: ConsentGiver;
  @Field(() => String, {
    description:
      "The giver's name as you were told it (written to the record, not checked against it; EH DAS reconciles it with the family).",
  })
  giverName!: string;
  @Field(() => String, {
    description: 'Their relationship to the child as stated, e.g. mother, carer, the young person.',
  })
  giverRelationship!: string;
  @Field(() => ConsentMethod) method!: ConsentMethod;
  @Field(() => [ID], { nullable: true, description: 'Organisations the family agreed may see the data.' })
  organisationIds?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Or whole kinds of organisation, e.g. council_early_help.' })
  organisationKinds?: string[] | null;
  @Field(() => [String], { description: 'ISA data categories; must include early_help.' }) categories!: string[];
  @Field(() => [String], { description: 'Purposes of use, e.g. screening, direct_support.' }) purposes!: string[];
  @Field(() => CompetenceAssessmentInput, {
    nullable: true,
    description:
      'Required when the young person gives or joins in giving consent and is 12–15 today (the ages are configuration); under 12 they cannot.',
  })
  competenceAssessment?: CompetenceAssessmentInput | null;
}

@InputType({
  description:
    'A referral for targeted Early Help: the consent as given (consent), a recorded consent of the child (consentId), or without either, a safeguarding override your organisation declared.',
})
export class SubmitReferralInput {
  @Field(() => RegisterChildInput, { description: 'The child, matched to the one record.' }) child!: RegisterChildInput;
  @Field(() => [IdentifiedNeedInput]) needs!: IdentifiedNeedInput[];
  @Field(() => ID, {
    nullable: true,
    description: "A recorded consent of the child covering early_help and naming the council's Early Help service.",
  })
  consentId?: string | null;
  @Field(() => ReferralConsentInput, { nullable: true }) consent?: ReferralConsentInput | null;
  @Field(() => [ReferralFamilyMemberInput], { nullable: true }) familyMembers?: ReferralFamilyMemberInput[] | null;
  @Field(() => [ID], {
    nullable: true,
    description:
      'Parents or carers already linked to the child. An id the family record does not link to the child is left out for EH DAS to reconcile; the answer is the same either way.',
  })
  existingFamilyMemberIds?: string[] | null;
}
