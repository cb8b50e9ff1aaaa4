import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Category, ChildData } from '../../src/access/category.decorator';
import type { MissingEpisodeRow } from '../../src/missing/missing.repo';
import { RETURN_INTERVIEW_STATUSES } from '../../src/missing/return-window';
import { enumOf } from '../shared/enum-of';
import { INTERVIEW_STEPS } from '../../src/missing/missing.service';

export type MissingEpisodeSource = MissingEpisodeRow;

export const ReturnInterviewStatus = enumOf(RETURN_INTERVIEW_STATUSES);
export type ReturnInterviewStatus = (typeof RETURN_INTERVIEW_STATUSES)[number];
registerEnumType(ReturnInterviewStatus, {
  name: 'ReturnInterviewStatus',
  description: 'Where the return interview stands; in time = completed within 72 hours of the return.',
});

export const ReturnInterviewStep = enumOf(INTERVIEW_STEPS);
export type ReturnInterviewStep = (typeof INTERVIEW_STEPS)[number];
registerEnumType(ReturnInterviewStep, {
  name: 'ReturnInterviewStep',
  description: 'offered → accepted (→ completed) or declined.',
});

@ObjectType({
  description: 'A missing from home episode and its return interview (due within 72 hours of the return).',
})
@ChildData()
export class MissingEpisode {
  @Field(() => ID) id!: string;
  @Field(() => ID) childId!: string;
  @Field(() => Int, { nullable: true, description: 'Pass as expectedVersion when changing it.' })
  @Category('early_help')
  version!: number | null;
  @Field(() => Date, { nullable: true }) @Category('early_help') startedAt!: Date | null;
  @Field(() => Date, { nullable: true }) @Category('early_help') returnedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'police or practitioner' }) @Category('early_help') reportedBy!:
    | string
    | null;
  @Field(() => String, { nullable: true }) @Category('police') policeReference!: string | null;
  @Field(() => Date, { nullable: true }) @Category('early_help') returnInterviewDueBy!: Date | null;
  @Field(() => ReturnInterviewStatus, { nullable: true })
  @Category('early_help')
  returnInterviewStatus!: ReturnInterviewStatus | null;
  @Field(() => Boolean, { nullable: true, description: 'Outstanding past the 72-hour window.' })
  @Category('early_help')
  overdue!: boolean | null;
  @Field(() => Date, { nullable: true }) @Category('early_help') interviewOfferedAt!: Date | null;
  @Field(() => Date, { nullable: true }) @Category('early_help') interviewAcceptedAt!: Date | null;
  @Field(() => Date, { nullable: true }) @Category('early_help') interviewDeclinedAt!: Date | null;
  @Field(() => Date, { nullable: true }) @Category('early_help') interviewCompletedAt!: Date | null;
  @Field(() => ID, { nullable: true }) @Category('early_help') interviewerPractitionerId!: string | null;
}
