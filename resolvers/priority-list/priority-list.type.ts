import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Category, ChildData } from '../../src/access/category.decorator';
import { Cluster } from '../shared/cluster.enum';
import { PRIORITY_DECISIONS, PRIORITY_STATUSES } from '../../src/priority-list/priority-list.service';
import { enumOf } from '../shared/enum-of';

export const PriorityDecision = enumOf(PRIORITY_DECISIONS);
export type PriorityDecision = (typeof PRIORITY_DECISIONS)[number];
registerEnumType(PriorityDecision, {
  name: 'PriorityDecision',
  description: "The locality meeting's decision; eha_required allocates the most relevant professional.",
});

export const PriorityStatus = enumOf(PRIORITY_STATUSES);
export type PriorityStatus = (typeof PRIORITY_STATUSES)[number];
registerEnumType(PriorityStatus, { name: 'PriorityStatus' });

@ObjectType({ description: "A child on a cluster's Priority Children's List." })
@ChildData()
export class PriorityListEntry {
  @Field(() => ID) id!: string;
  @Field(() => ID) childId!: string;
  @Field(() => Int, { nullable: true }) @Category('early_help') version!: number | null;
  @Field(() => Cluster, { nullable: true }) @Category('early_help') cluster!: Cluster | null;
  @Field(() => String, { nullable: true }) @Category('early_help') reason!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') addedOn!: string | null;
  @Field(() => ID, { nullable: true }) @Category('early_help') addedByOrganisationId!: string | null;
  @Field(() => PriorityStatus, { nullable: true }) @Category('early_help') status!: PriorityStatus | null;
  @Field(() => String, { nullable: true }) @Category('early_help') meetingOn!: string | null;
  @Field(() => PriorityDecision, { nullable: true }) @Category('early_help') decision!: PriorityDecision | null;
  @Field(() => String, { nullable: true }) @Category('early_help') decisionRationale!: string | null;
  @Field(() => ID, { nullable: true }) @Category('early_help') allocatedPractitionerId!: string | null;
}
