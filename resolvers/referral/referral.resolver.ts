import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Category } from '../../src/access/category.decorator';
import type { HubContext } from '../../src/server/context';
import { recommendFor } from '../../src/workflow/needs';
import { MatchField } from '../child/child.type';
import { EligibilityRecommendation, ScreeningDecision } from '../eha/eha.enums';
import { Cluster } from '../shared/cluster.enum';
import { SubmitReferralInput } from './referral.input';
import { Referral, ReferralNeed, ReferralSubmission, SubmissionOutcome, type ReferralNeedSource, type ReferralSource } from './referral.type';

@Resolver(() => Referral)
export class ReferralResolver {
  @Query(() => Referral, { nullable: true, description: 'One referral you have a relationship with (the EH DAS queue, the allocated team).' })
  referral(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext): Promise<ReferralSource> {
    return ctx.services.referrals.getForCaller(id, ctx);
  }

  @Query(() => [Referral], { description: 'The EH DAS queue: submitted referrals waiting for screening.' })
  referralsAwaitingScreening(@Ctx() ctx: HubContext): Promise<ReferralSource[]> {
    return ctx.services.referrals.awaitingScreening(ctx);
  }

  @FieldResolver(() => [ReferralNeed], { nullable: true })
  @Category('early_help')
  needs(@Root() referral: ReferralSource): ReferralNeedSource[] {
    return referral.needs.map((n) => ({ ...n, childId: referral.childId }));
  }

  @FieldResolver(() => EligibilityRecommendation, { nullable: true, description: 'The eligibility rule as a recommendation: 3 or more needs → EHA; 2 or fewer → single agency response. The screener decides.' })
  @Category('early_help')
  recommendation(@Root() referral: ReferralSource): EligibilityRecommendation {
    return recommendFor(referral.needs.length) as EligibilityRecommendation;
  }

  @Mutation(() => ReferralSubmission, { description: 'Refers a child for targeted Early Help. The child is matched to the one record; a probable match creates nothing.' })
  async submitReferral(@Arg('input', () => SubmitReferralInput) input: SubmitReferralInput, @Ctx() ctx: HubContext): Promise<ReferralSubmission> {
    const result = await ctx.services.referrals.submit(input, ctx);
    if (result.outcome === 'probable_match') {
      return { outcome: SubmissionOutcome.probable_match, referralId: null, childId: null, candidates: result.candidates.map((c) => ({ childId: c.childId, matchedOn: c.matchedOn as MatchField })) };
    }
    return { outcome: SubmissionOutcome.submitted, referralId: result.referral.id, childId: result.referral.childId, candidates: [] };
  }

  @Mutation(() => Referral, { description: 'EH DAS screening. Declined: rationale and signposting. Accepted: allocated to a Family Support Manager in a cluster; the EHA is created awaiting its first TAF.' })
  screenReferral(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('decision', () => ScreeningDecision) decision: ScreeningDecision,
    @Arg('rationale', () => String) rationale: string,
    @Arg('signposting', () => [String], { nullable: true }) signposting: string[] | null,
    @Arg('familySupportManagerId', () => ID, { nullable: true }) familySupportManagerId: string | null,
    @Arg('cluster', () => Cluster, { nullable: true }) cluster: Cluster | null,
    @Arg('leadPractitionerId', () => ID, { nullable: true }) leadPractitionerId: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<ReferralSource> {
    return ctx.services.referrals.screen({ referralId: id, expectedVersion, decision, rationale, signposting, familySupportManagerId, cluster, leadPractitionerId }, ctx);
  }
}
