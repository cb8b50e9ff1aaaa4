import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { REFERRAL_OUTCOMES } from '../../src/referrer-feedback/referrer-feedback.service';
import { enumOf } from '../shared/enum-of';

export const ReferralOutcome = enumOf(REFERRAL_OUTCOMES);
export type ReferralOutcome = (typeof REFERRAL_OUTCOMES)[number];
registerEnumType(ReferralOutcome, {
  name: 'ReferralOutcome',
  description: 'The screening outcome of a referral as its referrer is told it.',
});

/**
 * Not a @ChildData type on purpose: its basis is having made the referral, not a relationship with
 * the child, so the category guard (which needs a relationship) does not apply. The service audits
 * each disclosure (early_help, basis "referrer feedback") and returns nothing beyond the outcome.
 */
@ObjectType({
  description:
    'The outcome of a referral you made: accepted, or declined with the rationale and the services the family was signposted to. No access to the case beyond this.',
})
export class ReferralFeedback {
  @Field(() => ID) referralId!: string;
  @Field(() => ID, {
    nullable: true,
    deprecationReason: 'Always null: the referrer is not told which record the referral matched.',
  })
  childId!: string | null;
  @Field(() => String) referralDate!: string;
  @Field(() => ReferralOutcome) outcome!: ReferralOutcome;
  @Field(() => String, { nullable: true }) decidedOn!: string | null;
  @Field(() => String, { nullable: true, description: "Declined: the screener's decision-making." }) rationale!:
    | string
    | null;
  @Field(() => Boolean) signposted!: boolean;
  @Field(() => [String]) signposting!: string[];
}

@ObjectType({
  description:
    'Audit of referrals to social care from partners: per referring organisation, referrals made and step-ups to social care of the EHAs they opened.',
})
export class ReferringOrganisationSummary {
  @Field(() => ID) organisationId!: string;
  @Field(() => String) organisationName!: string;
  @Field(() => String) organisationKind!: string;
  @Field(() => Int) referrals!: number;
  @Field(() => Int) accepted!: number;
  @Field(() => Int) declined!: number;
  @Field(() => Int) stepUps!: number;
}
