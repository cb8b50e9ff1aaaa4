import { Field, ID, InputType } from 'type-graphql';
import { RegisterChildInput } from '../child/child.input';
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

@InputType({ description: 'A referral for targeted Early Help. Consent must be in force (consentId) unless a safeguarding override is.' })
export class SubmitReferralInput {
  @Field(() => RegisterChildInput, { description: 'The child, matched to the one record.' }) child!: RegisterChildInput;
  @Field(() => [IdentifiedNeedInput]) needs!: IdentifiedNeedInput[];
  @Field(() => ID, { nullable: true, description: 'The consent record for the child covering early_help.' }) consentId?: string | null;
  @Field(() => [ReferralFamilyMemberInput], { nullable: true }) familyMembers?: ReferralFamilyMemberInput[] | null;
  @Field(() => [ID], { nullable: true, description: 'Parents or carers already linked to the child.' }) existingFamilyMemberIds?: string[] | null;
}
