import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Category, ChildData } from '../../src/access/category.decorator';
import { ASSESSMENT_POINTS, RICKTER_AREAS } from '../../src/outcomes/rickter';
import { Cluster } from '../shared/cluster.enum';
import { NeedCategory } from '../eha/eha.enums';
import { enumOf } from '../shared/enum-of';

export const RickterArea = enumOf(RICKTER_AREAS);
export type RickterArea = (typeof RICKTER_AREAS)[number];
registerEnumType(RickterArea, {
  name: 'RickterArea',
  description: `Rickter Scale life areas of the Families Outcome Plan (${RICKTER_AREAS.length}), each scored 0–10, higher is better.`,
});

export const AssessmentPoint = enumOf(ASSESSMENT_POINTS);
export type AssessmentPoint = (typeof ASSESSMENT_POINTS)[number];
registerEnumType(AssessmentPoint, {
  name: 'AssessmentPoint',
  description: 'One start and one closure assessment per EHA; a review assessment at each review.',
});

@ObjectType()
@ChildData()
export class RickterScore {
  @Field(() => RickterArea, { nullable: true }) @Category('early_help') area!: RickterArea | null;
  @Field(() => Int, { nullable: true }) @Category('early_help') score!: number | null;
}

@ObjectType()
@ChildData()
export class RickterAssessment {
  @Field(() => ID) id!: string;
  @Field(() => ID) childId!: string;
  @Field(() => AssessmentPoint, { nullable: true }) @Category('early_help') point!: AssessmentPoint | null;
  @Field(() => String, { nullable: true }) @Category('early_help') assessedOn!: string | null;
  @Field(() => [RickterScore], { nullable: true }) @Category('early_help') scores!:
    | { childId: string; area: string; score: number }[]
    | null;
}

@ObjectType({
  description: 'Change in one life area from the start to the latest assessment (closure, else latest review).',
})
@ChildData()
export class AreaDistance {
  @Field(() => RickterArea, { nullable: true }) @Category('early_help') area!: RickterArea | null;
  @Field(() => Int, { nullable: true }) @Category('early_help') start!: number | null;
  @Field(() => Int, { nullable: true }) @Category('early_help') latest!: number | null;
  @Field(() => Int, { nullable: true }) @Category('early_help') change!: number | null;
}

@ObjectType({
  description:
    'A Supporting Families headline outcome present at the start: achieved, and sustained 6 months after closure.',
})
@ChildData()
export class HeadlineOutcome {
  @Field(() => ID) childId!: string;
  @Field(() => NeedCategory, { nullable: true }) @Category('early_help') outcome!: NeedCategory | null;
  @Field(() => String, { nullable: true }) @Category('early_help') recordedAtStartOn!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') achievedOn!: string | null;
  @Field(() => String, { nullable: true, description: 'Closure date + 6 months (calendar rule); null while open.' })
  @Category('early_help')
  sustainmentDueOn!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') sustainmentCheckedOn!: string | null;
  @Field(() => Boolean, { nullable: true }) @Category('early_help') sustained!: boolean | null;
}

@ObjectType({
  description: "A family's Families Outcome Plan: Rickter Scale assessments, distance travelled and headline outcomes.",
})
@ChildData()
export class FamilyOutcomes {
  @Field(() => ID) ehaId!: string;
  @Field(() => ID) childId!: string;
  @Field(() => [RickterAssessment], { nullable: true }) @Category('early_help') assessments!: unknown[] | null;
  @Field(() => [AreaDistance], { nullable: true }) @Category('early_help') distanceByArea!: unknown[] | null;
  @Field(() => Int, {
    nullable: true,
    description: 'Sum of the per-area changes; null without a start and a later assessment.',
  })
  @Category('early_help')
  distanceTravelled!: number | null;
  @Field(() => AssessmentPoint, { nullable: true }) @Category('early_help') latestPoint!: AssessmentPoint | null;
  @Field(() => [HeadlineOutcome], { nullable: true }) @Category('early_help') headlineOutcomes!: unknown[] | null;
}

@ObjectType({
  description: 'Distance travelled in a cluster: families whose latest assessment fell in the period (no child data).',
})
export class ClusterDistanceTravelled {
  @Field(() => Cluster) cluster!: Cluster;
  @Field(() => Int) families!: number;
  @Field(() => Int) improvedFamilies!: number;
  @Field(() => Float, { nullable: true }) meanStartTotal!: number | null;
  @Field(() => Float, { nullable: true }) meanLatestTotal!: number | null;
  @Field(() => Float, { nullable: true }) meanDistanceTravelled!: number | null;
}
