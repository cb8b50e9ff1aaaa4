import { Field, ID, InputType, Int } from 'type-graphql';
import { NeedCategory } from '../eha/eha.enums';
import { AssessmentPoint, RickterArea } from './outcomes.type';

@InputType()
export class RickterScoreInput {
  @Field(() => RickterArea) area!: RickterArea;
  @Field(() => Int, { description: '0–10' }) score!: number;
}

@InputType()
export class RecordRickterAssessmentInput {
  @Field(() => ID) ehaId!: string;
  @Field(() => AssessmentPoint) point!: AssessmentPoint;
  @Field(() => String, { description: 'YYYY-MM-DD, not in the future, not before the EHA started.' })
  assessedOn!: string;
  @Field(() => [RickterScoreInput]) scores!: RickterScoreInput[];
}

@InputType()
export class RecordHeadlineOutcomeProgressInput {
  @Field(() => ID) ehaId!: string;
  @Field(() => NeedCategory) outcome!: NeedCategory;
  @Field(() => String, { nullable: true }) achievedOn?: string | null;
  @Field(() => String, { nullable: true, description: 'On or after the closure date + 6 months.' })
  sustainmentCheckedOn?: string | null;
  @Field(() => Boolean, { nullable: true }) sustained?: boolean | null;
}
