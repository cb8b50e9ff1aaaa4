import { Field, ID, InputType, Int } from 'type-graphql';
import { ReturnInterviewStep } from './missing.type';

@InputType({ description: 'A young person reported missing. Times are ISO 8601 instants with a zone.' })
export class RecordMissingEpisodeInput {
  @Field(() => ID) childId!: string;
  @Field(() => String) startedAt!: string;
  @Field(() => String, { nullable: true, description: 'When they returned, if already back: the 72-hour window starts here.' }) returnedAt?: string | null;
  @Field(() => String, { nullable: true }) policeReference?: string | null;
}

@InputType()
export class RecordReturnInterviewInput {
  @Field(() => ID) episodeId!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => ReturnInterviewStep) step!: ReturnInterviewStep;
  @Field(() => String, { description: 'When it happened (ISO 8601 instant, not in the future).' }) at!: string;
  @Field(() => ID, { nullable: true, description: 'Completed: who held the interview.' }) interviewerPractitionerId?: string | null;
}
