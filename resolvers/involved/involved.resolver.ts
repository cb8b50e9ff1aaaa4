import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import type { DataCategory } from '../../src/access/categories';
import type { InvolvedView } from '../../src/involved/involved.service';
import type { HubContext } from '../../src/server/context';
import { BadUserInputError } from '../../src/errors';
import { WhoElseIsInvolved, type InvolvedEntrySource } from './involved.type';

@Resolver()
export class InvolvedResolver {
  @Query(() => WhoElseIsInvolved, {
    description:
      'The organisations already involved with the child of a referral (screening) or an EHA (TAF): involvements, partner feeds, open cases. Give exactly one of referralId, ehaId.',
  })
  async whoElseIsInvolved(
    @Arg('referralId', () => ID, { nullable: true }) referralId: string | null,
    @Arg('ehaId', () => ID, { nullable: true }) ehaId: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<WhoElseIsInvolved> {
    if (Boolean(referralId) === Boolean(ehaId))
      throw new BadUserInputError(referralId ? 'ehaId' : 'referralId', 'give exactly one of referralId and ehaId');
    const view = referralId
      ? await ctx.services.involved.forReferral(referralId, ctx)
      : await ctx.services.involved.forEha(ehaId!, ctx);
    return toSource(view);
  }
}

function toSource(view: InvolvedView): WhoElseIsInvolved {
  const list = (c: DataCategory): InvolvedEntrySource[] =>
    (view.byCategory.get(c) ?? []).map((r) => ({ ...r, childId: view.childId }));
  return {
    childId: view.childId,
    referralId: view.referralId,
    ehaId: view.ehaId,
    education: list('education'),
    health: list('health'),
    police: list('police'),
    socialCare: list('social_care'),
    earlyHelp: list('early_help'),
  };
}
