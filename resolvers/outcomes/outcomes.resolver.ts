import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { sustainmentDueOn, type FamilyOutcomesView } from '../../src/outcomes/outcomes.service';
import type { HubContext } from '../../src/server/context';
import { NeedCategory } from '../eha/eha.enums';
import type { Cluster } from '../shared/cluster.enum';
import { RecordHeadlineOutcomeProgressInput, RecordRickterAssessmentInput } from './outcomes.input';
import { ClusterDistanceTravelled, FamilyOutcomes, type AssessmentPoint } from './outcomes.type';

@Resolver()
export class OutcomesResolver {
  @Query(() => FamilyOutcomes, {
    description:
      "A family's outcomes (Rickter Scale, distance travelled, headline outcomes) for an EHA you have a relationship with.",
  })
  async familyOutcomes(@Arg('ehaId', () => ID) ehaId: string, @Ctx() ctx: HubContext): Promise<FamilyOutcomes> {
    return toSource(await ctx.services.outcomes.familyOutcomes(ehaId, ctx));
  }

  @Query(() => [ClusterDistanceTravelled], {
    description: 'Mean distance travelled per cluster (default: families last assessed in the last 12 months).',
  })
  async clusterDistanceTravelled(
    @Arg('from', () => String, { nullable: true }) from: string | null,
    @Arg('to', () => String, { nullable: true }) to: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<ClusterDistanceTravelled[]> {
    return (await ctx.services.outcomes.clusterDistance({ from, to })).map((c) => ({
      ...c,
      cluster: c.cluster as Cluster,
    }));
  }

  @Mutation(() => FamilyOutcomes, {
    description: 'Records Rickter Scale scores (0–10 per life area) at the start, a review or closure.',
  })
  async recordRickterAssessment(
    @Arg('input', () => RecordRickterAssessmentInput) input: RecordRickterAssessmentInput,
    @Ctx() ctx: HubContext,
  ): Promise<FamilyOutcomes> {
    return toSource(await ctx.services.outcomes.recordAssessment(input, ctx));
  }

  @Mutation(() => FamilyOutcomes, {
    description: 'The Supporting Families headline outcomes present at the start (once per EHA).',
  })
  async recordHeadlineOutcomesAtStart(
    @Arg('ehaId', () => ID) ehaId: string,
    @Arg('outcomes', () => [NeedCategory]) outcomes: NeedCategory[],
    @Ctx() ctx: HubContext,
  ): Promise<FamilyOutcomes> {
    return toSource(await ctx.services.outcomes.recordHeadlinesAtStart({ ehaId, outcomes }, ctx));
  }

  @Mutation(() => FamilyOutcomes, {
    description: 'A headline outcome achieved, or (from closure + 6 months) sustained or not.',
  })
  async recordHeadlineOutcomeProgress(
    @Arg('input', () => RecordHeadlineOutcomeProgressInput) input: RecordHeadlineOutcomeProgressInput,
    @Ctx() ctx: HubContext,
  ): Promise<FamilyOutcomes> {
    return toSource(await ctx.services.outcomes.recordHeadlineProgress(input, ctx));
  }
}

function toSource(v: FamilyOutcomesView): FamilyOutcomes {
  const childId = v.eha.childId;
  return {
    ehaId: v.eha.id,
    childId,
    assessments: v.assessments.map((a) => ({
      id: a.id,
      childId,
      point: a.point as AssessmentPoint,
      assessedOn: a.assessedOn,
      scores: a.scores.map((s) => ({ ...s, childId })),
    })),
    distanceByArea: v.distance.perArea.map((d) => ({ ...d, childId })),
    distanceTravelled: v.distance.total,
    latestPoint: v.distance.latestPoint as AssessmentPoint | null,
    headlineOutcomes: v.headlines.map((h) => ({
      childId,
      outcome: h.outcome,
      recordedAtStartOn: h.recordedAtStartOn,
      achievedOn: h.achievedOn,
      sustainmentDueOn: v.eha.closedOn ? sustainmentDueOn(v.eha.closedOn) : null,
      sustainmentCheckedOn: h.sustainmentCheckedOn,
      sustained: h.sustained,
    })),
  };
}
