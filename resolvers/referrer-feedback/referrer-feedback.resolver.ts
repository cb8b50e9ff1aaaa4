import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../src/server/context';
import { ReferralFeedback, ReferralOutcome, ReferringOrganisationSummary } from './referrer-feedback.type';

@Resolver()
export class ReferrerFeedbackResolver {
  @Query(() => [ReferralFeedback], {
    description: 'The referrals you made (default: the last 12 months) and their outcomes.',
  })
  async myReferralOutcomes(
    @Arg('from', () => String, { nullable: true }) from: string | null,
    @Arg('to', () => String, { nullable: true }) to: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<ReferralFeedback[]> {
    const rows = await ctx.services.referrerFeedback.myReferralOutcomes({ from, to }, ctx);
    return rows.map((r) => ({ ...r, outcome: r.outcome as ReferralOutcome }));
  }

  @Query(() => [ReferringOrganisationSummary], {
    description:
      'Audit of referrals to social care from partners: step-ups by referring organisation (default: the last 12 months).',
  })
  stepUpsByReferringOrganisation(
    @Arg('from', () => String, { nullable: true }) from: string | null,
    @Arg('to', () => String, { nullable: true }) to: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<ReferringOrganisationSummary[]> {
    return ctx.services.referrerFeedback.stepUpsByReferringOrganisation({ from, to });
  }
}
