import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Category, ChildData } from '../../src/access/category.decorator';
import { Cluster } from '../shared/cluster.enum';

export enum PriorityDecision {
  eha_required = 'eha_required', single_agency_support = 'single_agency_support', monitor = 'monitor',
  refer_to_das = 'refer_to_das', no_further_action = 'no_further_action',
}
registerEnumType(PriorityDecision, { name: 'PriorityDecision', description: 'The locality meeting\'s decision; eha_required allocates the most relevant professional.' });

export enum PriorityStatus { listed = 'listed', decided = 'decided' }
registerEnumType(PriorityStatus, { name: 'PriorityStatus' });

@ObjectType({ description: 'A child on a cluster\'s Priority Children\'s List.' })
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
