import { Arg, Ctx, Field, ID, Int, Mutation, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import { Category, ChildData } from '../../src/access/category.decorator';
import type { SocialCareMaspRow } from '../../src/masp/masp.repo';
import { SOCIAL_CARE_MASP_OUTCOMES, SOCIAL_CARE_MASP_STATUSES } from '../../src/masp/social-care-masp.service';
import type { HubContext } from '../../src/server/context';
import { MaspCriterion } from '../eha/eha.enums';
import { enumOf } from '../shared/enum-of';

export const SocialCareMaspStatus = enumOf(SOCIAL_CARE_MASP_STATUSES);
export type SocialCareMaspStatus = (typeof SOCIAL_CARE_MASP_STATUSES)[number];
registerEnumType(SocialCareMaspStatus, {
  name: 'SocialCareMaspStatus',
  description: 'Where a case open only to social care stands when it comes to MASP.',
});

export const SocialCareMaspOutcome = enumOf(SOCIAL_CARE_MASP_OUTCOMES);
export type SocialCareMaspOutcome = (typeof SOCIAL_CARE_MASP_OUTCOMES)[number];
registerEnumType(SocialCareMaspOutcome, {
  name: 'SocialCareMaspOutcome',
  description:
    'MASP outcomes for a case open only to social care: stepped down to Child in Need (from Child Protection) is told apart from stepped down to Early Help; a referral to LARP is a placement recommendation.',
});

@ObjectType({ description: 'A case open only to social care, referred to MASP by its social worker.' })
@ChildData()
export class SocialCareMaspReferral {
  @Field(() => ID) id!: string;
  @Field(() => ID) childId!: string;
  @Field(() => SocialCareMaspStatus, { nullable: true })
  @Category('social_care')
  socialCareStatus!: SocialCareMaspStatus | null;
  @Field(() => [MaspCriterion], { nullable: true }) @Category('social_care') criteria!: MaspCriterion[] | null;
  @Field(() => String, { nullable: true }) @Category('social_care') rationale!: string | null;
  @Field(() => String, { nullable: true }) @Category('social_care') referredOn!: string | null;
  @Field(() => SocialCareMaspOutcome, { nullable: true })
  @Category('social_care')
  outcome!: SocialCareMaspOutcome | null;
  @Field(() => String, { nullable: true }) @Category('social_care') outcomeRationale!: string | null;
  @Field(() => String, { nullable: true }) @Category('social_care') decidedOn!: string | null;
  @Field(() => ID, {
    nullable: true,
    description:
      'Stepped down to Early Help: the EHA the step down opened (null until the social worker steps it down).',
  })
  @Category('social_care')
  steppedDownEhaId!: string | null;
  @Field(() => Int, { nullable: true }) @Category('social_care') version!: number | null;
}

@Resolver(() => SocialCareMaspReferral)
export class SocialCareMaspResolver {
  @Query(() => [SocialCareMaspReferral], {
    description: 'The panel’s agenda: cases open only to social care waiting for a MASP outcome.',
  })
  socialCareMaspReferrals(@Ctx() ctx: HubContext): Promise<SocialCareMaspRow[]> {
    return ctx.services.socialCareMasp.awaiting(ctx);
  }

  @Query(() => [SocialCareMaspReferral], {
    description:
      'Cases the panel stepped down to Early Help that are not stepped down yet: the social worker’s list for stepDown.',
  })
  socialCareMaspStepDownsDue(@Ctx() ctx: HubContext): Promise<SocialCareMaspRow[]> {
    return ctx.services.socialCareMasp.stepDownsDue(ctx);
  }

  @Mutation(() => SocialCareMaspReferral, {
    description:
      'The social worker refers a case open only to social care (no EHA) to the Multi Agency Support Panel, with its criteria.',
  })
  referSocialCareCaseToMasp(
    @Arg('childId', () => ID) childId: string,
    @Arg('socialCareStatus', () => SocialCareMaspStatus) socialCareStatus: SocialCareMaspStatus,
    @Arg('criteria', () => [MaspCriterion]) criteria: MaspCriterion[],
    @Arg('rationale', () => String) rationale: string,
    @Ctx() ctx: HubContext,
  ): Promise<SocialCareMaspRow> {
    return ctx.services.socialCareMasp.refer({ childId, socialCareStatus, criteria, rationale }, ctx);
  }

  @Mutation(() => SocialCareMaspReferral, { description: "The MASP chair records the panel's outcome." })
  recordSocialCareMaspOutcome(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('outcome', () => SocialCareMaspOutcome) outcome: SocialCareMaspOutcome,
    @Arg('rationale', () => String) rationale: string,
    @Ctx() ctx: HubContext,
  ): Promise<SocialCareMaspRow> {
    return ctx.services.socialCareMasp.recordOutcome({ id, expectedVersion, outcome, rationale }, ctx);
  }
}
