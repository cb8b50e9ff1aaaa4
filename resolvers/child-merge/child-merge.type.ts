import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { MERGE_PROPOSAL_STATUSES } from '../../src/child-merge/child-merge.service';
import { PageInfo } from '../child/child.type';
import { MatchExplanation } from '../feeds/pending-match.type';
import { enumOf } from '../shared/enum-of';

export const ChildMergeProposalStatus = enumOf(MERGE_PROPOSAL_STATUSES);
export type ChildMergeProposalStatus = (typeof MERGE_PROPOSAL_STATUSES)[number];
registerEnumType(ChildMergeProposalStatus, { name: 'ChildMergeProposalStatus' });

@ObjectType({
  description:
    'A merge of two child records waiting for, or decided by, a second EH DAS screener. Only approval merges; the proposer cannot approve.',
})
export class ChildMergeProposal {
  @Field(() => ID) id!: string;
  @Field(() => ID, { description: 'The duplicate: after approval its id redirects to intoChildId.' })
  fromChildId!: string;
  @Field(() => ID, { description: 'The surviving record.' }) intoChildId!: string;
  @Field(() => String) reason!: string;
  @Field(() => MatchExplanation, {
    nullable: true,
    description:
      "The probabilistic matcher's score of the two records and how each field compared; null when either cannot be scored (an unborn baby).",
  })
  explanation!: MatchExplanation | null;
  @Field(() => ChildMergeProposalStatus) status!: ChildMergeProposalStatus;
  @Field(() => String) proposedBy!: string;
  @Field(() => Date) proposedAt!: Date;
  @Field(() => String, { nullable: true, description: 'Who approved or rejected it.' }) decidedBy!: string | null;
  @Field(() => Date, { nullable: true }) decidedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Why it was rejected.' }) decisionReason!: string | null;
  @Field(() => ID, { nullable: true, description: 'The merge its approval performed: give it to undoChildMerge.' })
  mergeId!: string | null;
}

@ObjectType({ description: 'A page of merge proposals, oldest first.' })
export class ChildMergeProposalConnection {
  @Field(() => [ChildMergeProposal]) nodes!: ChildMergeProposal[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: 'A merge that was undone: the merged record is live again with every row the merge moved.' })
export class UndoneChildMerge {
  @Field(() => ID) mergeId!: string;
  @Field(() => ID, { description: 'The record that is live again.' }) fromChildId!: string;
  @Field(() => ID) intoChildId!: string;
  @Field(() => String) undoneBy!: string;
  @Field(() => Date) undoneAt!: Date;
  @Field(() => Int, { description: "Values put back from the merge's ledger (moved rows and identifiers)." })
  restored!: number;
}
