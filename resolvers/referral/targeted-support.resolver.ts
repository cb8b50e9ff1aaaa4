import { Arg, Ctx, ID, Int, Mutation, Query, Resolver, registerEnumType } from 'type-graphql';
import type { HubContext } from '../../src/server/context';
import { TARGETED_SUPPORT_OUTCOMES } from '../../src/referral/targeted-support.service';
import { enumOf } from '../shared/enum-of';
import { Referral, type ReferralSource } from './referral.type';

export const TargetedSupportOutcome = enumOf(TARGETED_SUPPORT_OUTCOMES);
export type TargetedSupportOutcome = (typeof TARGETED_SUPPORT_OUTCOMES)[number];
registerEnumType(TargetedSupportOutcome, {
  name: 'TargetedSupportOutcome',
  description: 'How Targeted Support ended: needs met, or referred on for an EHA or to social care.',
});

@Resolver(() => Referral)
export class TargetedSupportResolver {
  @Query(() => [Referral], {
    description:
      'Targeted Support (single agency responses) still running whose 3 months end within `within` days, or have ended: for EH DAS to look again.',
  })
  targetedSupportDue(
    @Arg('within', () => Int, { defaultValue: 14, description: 'Days from today, 0–366.' }) within: number,
    @Ctx() ctx: HubContext,
  ): Promise<ReferralSource[]> {
    return ctx.services.targetedSupport.due(within, ctx);
  }

  @Mutation(() => Referral, {
    description: 'EH DAS records how Targeted Support ended; EH DAS stops following the child.',
  })
  endTargetedSupport(
    @Arg('referralId', () => ID) referralId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('outcome', () => TargetedSupportOutcome) outcome: TargetedSupportOutcome,
    @Arg('note', () => String) note: string,
    @Ctx() ctx: HubContext,
  ): Promise<ReferralSource> {
    return ctx.services.targetedSupport.end({ referralId, expectedVersion, outcome, note }, ctx);
  }
}
