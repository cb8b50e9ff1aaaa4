import { Field, ID, InputType } from 'type-graphql';
import { ConsentGiver, ConsentMethod } from './consent.type';

@InputType({ description: 'A consent as the family gave it. Categories, purposes and organisation kinds are checked against the ISA lists (BAD_USER_INPUT naming the field).' })
export class RecordConsentInput {
  @Field(() => ID) childId!: string;
  @Field(() => ConsentGiver) givenBy!: ConsentGiver;
  @Field(() => ID, { nullable: true, description: 'The parent (with parental responsibility) or carer linked to the child who gave consent.' }) familyMemberId?: string | null;
  @Field(() => ConsentMethod) method!: ConsentMethod;
  @Field(() => [ID], { nullable: true, description: 'Partner organisations the family agreed may see the data.' }) organisationIds?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Or whole kinds of partner: school, health, police, voluntary, council_early_help, social_care, other.' }) organisationKinds?: string[] | null;
  @Field(() => [String], { description: 'ISA data categories, e.g. health, education.' }) categories!: string[];
  @Field(() => [String], { description: 'Purposes of use, e.g. direct_support.' }) purposes!: string[];
  @Field(() => String, { description: 'ISO 8601 date-time with zone.' }) startsAt!: string;
  @Field(() => String, { nullable: true, description: 'ISO 8601 date-time with zone; after startsAt and in the future.' }) expiresAt?: string | null;
}

@InputType({ description: 'Sharing without consent because seeking it would increase the risk of significant harm.' })
export class DeclareSafeguardingOverrideInput {
  @Field(() => ID) childId!: string;
  @Field(() => [String], { description: 'ISA data categories shared under the override.' }) categories!: string[];
  @Field(() => String, { description: 'Why seeking consent would increase the risk (at least 40 characters). Seen by the DPO, never returned by the API.' }) justification!: string;
  @Field(() => String, { description: 'ISO 8601 date-time with zone, at most 72 hours from now.' }) expiresAt!: string;
}
