import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Category } from '../../src/access/category.decorator';
import type { HubContext } from '../../src/server/context';
import { recommendFor } from '../../src/workflow/needs';
import { EligibilityRecommendation, LevelOfNeed, ScreeningDecision } from '../eha/eha.enums';
import { Cluster } from '../shared/cluster.enum';
import { Capability, hasCapability } from '../../src/access/capabilities';
import { SubmitReferralInput } from './referral.input';
import {
  Referral,
  ReferralNeed,
  ReferralSubmission,
  SubmissionOutcome,
  type ReferralNeedSource,
  type ReferralSource,
} from './referral.type';

@Resolver(() => Referral)
export class ReferralResolver {
  @Query(() => Referral, {
    nullable: true,
    description: 'One referral you have a relationship with (the EH DAS queue, the allocated team).',
  })
  referral(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext): Promise<ReferralSource> {
    return ctx.services.referrals.getForCaller(id, ctx);
  }

  @Query(() => [Referral], { description: 'The EH DAS queue: submitted referrals waiting for screening.' })
  referralsAwaitingScreening(@Ctx() ctx: HubContext): Promise<ReferralSource[]> {
    return ctx.services.referrals.awaitingScreening(ctx);
  }

  @FieldResolver(() => [ID], {
    nullable: true,
    description:
      'EH DAS screening only: existing records the referred child may be (matched internally, not with certainty), to confirm or merge. Never shown to the referrer.',
  })
  @Category('identifiers')
  matchCandidateIds(@Root() referral: ReferralSource, @Ctx() ctx: HubContext): string[] | null {
    return hasCapability(ctx.caller, Capability.SeeMatchCandidates) ? referral.matchCandidateIds : null;
  }

  @FieldResolver(() => [ReferralNeed], { nullable: true })
  @Category('early_help')
  needs(@Root() referral: ReferralSource): ReferralNeedSource[] {
    return referral.needs.map((n) => ({ ...n, childId: referral.childId }));
  }

  @FieldResolver(() => EligibilityRecommendation, {
    nullable: true,
    description:
      'The eligibility rule as a recommendation: 3 or more needs → EHA; 2 or fewer → single agency response. The screener decides.',
  })
  @Category('early_help')
  recommendation(@Root() referral: ReferralSource): EligibilityRecommendation {
    return recommendFor(referral.needs.length) as EligibilityRecommendation;
  }

  @Mutation(() => ReferralSubmission, {
    description:
      "Refers a child for targeted Early Help: any practitioner, for a child the hub knows or not, with the consent as the family gave it (naming the council's Early Help service) or a recorded one. The hub matches the child internally; only EH DAS sees candidates. The answer is the referral id; the outcome comes later (myReferralOutcomes).",
  })
  async submitReferral(
    @Arg('input', () => SubmitReferralInput) input: SubmitReferralInput,
    @Ctx() ctx: HubContext,
  ): Promise<ReferralSubmission> {
    const result = await ctx.services.referrals.submit(input, ctx);
    return { outcome: SubmissionOutcome.submitted, referralId: result.referral.id, childId: null, candidates: [] };
  }

  @Query(() => [Referral], {
    description: "Referrals EH DAS passed to children's social care's front door, followed up for 28 days after.",
  })
  referralsAtFrontDoor(@Ctx() ctx: HubContext): Promise<ReferralSource[]> {
    return ctx.services.referrals.atFrontDoor(ctx);
  }

  @Mutation(() => Referral, {
    description:
      'EH DAS screening, with the level of need. Accepted: allocated to a Family Support Manager in a cluster, the EHA created awaiting its first TAF (fewer than 3 needs only with belowThresholdReason; outside the cluster of the child’s setting only with outOfClusterReason). Single agency response and declined: rationale and signposting. Referred to social care: passed to the front door now and followed up.',
  })
  screenReferral(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('decision', () => ScreeningDecision) decision: ScreeningDecision,
    @Arg('rationale', () => String) rationale: string,
    @Arg('levelOfNeed', () => LevelOfNeed) levelOfNeed: LevelOfNeed,
    @Arg('belowThresholdReason', () => String, {
      nullable: true,
      description: 'Accepting with fewer than 3 needs: why an EHA is right.',
    })
    belowThresholdReason: string | null,
    @Arg('outOfClusterReason', () => String, {
      nullable: true,
      description: "Allocating outside the cluster of the child's school, college or early years setting: why.",
    })
    outOfClusterReason: string | null,
    @Arg('targetedSupportOrganisationId', () => ID, {
      nullable: true,
      description: 'A single agency response: the organisation giving the Targeted Support (about 3 months).',
    })
    targetedSupportOrganisationId: string | null,
    @Arg('signposting', () => [String], { nullable: true }) signposting: string[] | null,
    @Arg('familySupportManagerId', () => ID, { nullable: true }) familySupportManagerId: string | null,
    @Arg('cluster', () => Cluster, { nullable: true }) cluster: Cluster | null,
    @Arg('leadPractitionerId', () => ID, { nullable: true }) leadPractitionerId: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<ReferralSource> {
    return ctx.services.referrals.screen(
      {
        referralId: id,
        expectedVersion,
        decision,
        rationale,
        levelOfNeed,
        belowThresholdReason,
        outOfClusterReason,
        targetedSupportOrganisationId,
        signposting,
        familySupportManagerId,
        cluster,
        leadPractitionerId,
      },
      ctx,
    );
  }
}
