import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Category, ChildData } from '../../src/access/category.decorator';
import type { MissingEpisodeRow } from '../../src/missing/missing.repo';

export type MissingEpisodeSource = MissingEpisodeRow;

export enum ReturnInterviewStatus {
  still_missing = 'still_missing', awaiting_offer = 'awaiting_offer', offered = 'offered', accepted = 'accepted',
  declined = 'declined', completed_in_time = 'completed_in_time', completed_late = 'completed_late',
}
registerEnumType(ReturnInterviewStatus, { name: 'ReturnInterviewStatus', description: 'Where the return interview stands; in time = completed within 72 hours of the return.' });

export enum ReturnInterviewStep { offered = 'offered', accepted = 'accepted', declined = 'declined', completed = 'completed' }
registerEnumType(ReturnInterviewStep, { name: 'ReturnInterviewStep', description: 'offered → accepted (→ completed) or declined.' });

@ObjectType({ description: 'A missing from home episode and its return interview (due within 72 hours of the return).' })
@ChildData()
export class MissingEpisode {
  @Field(() => ID) id!: string;
  @Field(() => ID) childId!: string;
  @Field(() => Int, { nullable: true, description: 'Pass as expectedVersion when changing it.' }) @Category('early_help') version!: number | null;
  @Field(() => Date, { nullable: true }) @Category('early_help') startedAt!: Date | null;
  @Field(() => Date, { nullable: true }) @Category('early_help') returnedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'police or practitioner' }) @Category('early_help') reportedBy!: string | null;
  @Field(() => String, { nullable: true }) @Category('police') policeReference!: string | null;
  @Field(() => Date, { nullable: true }) @Category('early_help') returnInterviewDueBy!: Date | null;
  @Field(() => ReturnInterviewStatus, { nullable: true }) @Category('early_help') returnInterviewStatus!: ReturnInterviewStatus | null;
  @Field(() => Boolean, { nullable: true, description: 'Outstanding past the 72-hour window.' }) @Category('early_help') overdue!: boolean | null;
  @Field(() => Date, { nullable: true }) @Category('early_help') interviewOfferedAt!: Date | null;
  @Field(() => Date, { nullable: true }) @Category('early_help') interviewAcceptedAt!: Date | null;
  @Field(() => Date, { nullable: true }) @Category('early_help') interviewDeclinedAt!: Date | null;
  @Field(() => Date, { nullable: true }) @Category('early_help') interviewCompletedAt!: Date | null;
  @Field(() => ID, { nullable: true }) @Category('early_help') interviewerPractitionerId!: string | null;
}
