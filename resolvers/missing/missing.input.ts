import { Field, ID, InputType, Int } from 'type-graphql';
import { ReturnInterviewStep } from './missing.type';
import { ChildIdentificationFields } from '../shared/child-identification.input';

@InputType({ description: 'A young person reported missing. Times are ISO 8601 instants with a zone.' })
export class RecordMissingEpisodeInput {
  @Field(() => ID) childId!: string;
  @Field(() => String) startedAt!: string;
  @Field(() => String, {
    nullable: true,
    description: 'When they returned, if already back: the 72-hour window starts here.',
  })
  returnedAt?: string | null;
  @Field(() => String, { nullable: true }) policeReference?: string | null;
}

@InputType()
export class RecordReturnInterviewInput {
  @Field(() => ID) episodeId!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => ReturnInterviewStep) step!: ReturnInterviewStep;
  @Field(() => String, { description: 'When it happened (ISO 8601 instant, not in the future).' }) at!: string;
  @Field(() => ID, { nullable: true, description: 'Completed: who held the interview.' }) interviewerPractitionerId?:
    | string
    | null;
}

@InputType({
  description:
    'The police report a child missing from home, or their return: the child by identifiers (or name and date of birth). Idempotent per force on (policeReference, whether it reports the return).',
})
export class ReportMissingFromHomeInput extends ChildIdentificationFields {
  @Field(() => String, {
    description: "The force's own reference for the episode; report the return under the same one.",
  })
  policeReference!: string;
  @Field(() => String, { description: 'When they went missing (ISO 8601 instant with a zone).' }) startedAt!: string;
  @Field(() => String, {
    nullable: true,
    description: 'When they returned: the 72-hour window for the return interview starts here.',
  })
  returnedAt?: string | null;
}
