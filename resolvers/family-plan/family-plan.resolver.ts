import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { FamilyPlanView as View } from '../../src/family-plan/family-plan.service';
import type { HubContext } from '../../src/server/context';
import { RecordVoiceOfChildInput, SetFamilyPlanInput } from './family-plan.input';
import { FamilyPlanView, type VoicePoint } from './family-plan.type';

@Resolver()
export class FamilyPlanResolver {
  @Query(() => FamilyPlanView, { description: 'The family plan view of an EHA you have a relationship with.' })
  async familyPlan(@Arg('ehaId', () => ID) ehaId: string, @Ctx() ctx: HubContext): Promise<FamilyPlanView> {
    return toSource(await ctx.services.familyPlans.get(ehaId, ctx));
  }

  @Mutation(() => FamilyPlanView, { description: 'A new revision of the family plan view.' })
  async setFamilyPlan(
    @Arg('input', () => SetFamilyPlanInput) input: SetFamilyPlanInput,
    @Ctx() ctx: HubContext,
  ): Promise<FamilyPlanView> {
    return toSource(await ctx.services.familyPlans.setPlan(input, ctx));
  }

  @Mutation(() => FamilyPlanView, { description: "Records the child's own words at assessment or at a review." })
  async recordVoiceOfChild(
    @Arg('input', () => RecordVoiceOfChildInput) input: RecordVoiceOfChildInput,
    @Ctx() ctx: HubContext,
  ): Promise<FamilyPlanView> {
    return toSource(await ctx.services.familyPlans.recordVoice(input, ctx));
  }
}

function toSource(v: View): FamilyPlanView {
  const childId = v.eha.childId;
  return {
    ehaId: v.eha.id,
    childId,
    revision: v.plan?.revision ?? 0,
    goingWell: v.plan?.goingWell ?? null,
    worries: v.plan?.worries ?? null,
    needsToHappen: v.plan?.needsToHappen ?? null,
    whenThingsAreBetter: v.plan?.whenThingsAreBetter ?? null,
    agreedOn: v.plan?.agreedOn ?? null,
    voiceOfChild: v.voices.map((x) => ({
      id: x.id,
      childId,
      point: x.point as VoicePoint,
      recordedOn: x.recordedOn,
      words: x.words,
      capturedHow: x.capturedHow,
    })),
  };
}
