import { Field, ID, InputType, Int } from 'type-graphql';
import { Cluster } from '../shared/cluster.enum';
import { PriorityDecision } from './priority-list.type';

@InputType()
export class AddToPriorityListInput {
  @Field(() => ID) childId!: string;
  @Field(() => Cluster) cluster!: Cluster;
  @Field(() => String, { description: 'Why the child is identified as vulnerable.' }) reason!: string;
}

@InputType()
export class DecidePriorityListEntryInput {
  @Field(() => ID) entryId!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => String) meetingOn!: string;
  @Field(() => PriorityDecision) decision!: PriorityDecision;
  @Field(() => String) rationale!: string;
  @Field(() => ID, {
    nullable: true,
    description: 'eha_required: the most relevant professional, who becomes lead practitioner.',
  })
  allocatedPractitionerId?: string | null;
}
