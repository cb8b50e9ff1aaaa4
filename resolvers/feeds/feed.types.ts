import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { FEED_STATUSES } from '../../src/feeds/pending';
import { enumOf } from '../shared/enum-of';

export const FeedStatus = enumOf(FEED_STATUSES);
export type FeedStatus = (typeof FEED_STATUSES)[number];
registerEnumType(FeedStatus, {
  name: 'FeedStatus',
  description:
    "APPLIED: attached to the child's record. HELD_FOR_REVIEW: valid, but the child could not be matched with certainty; kept for a practitioner to resolve (quote `reference`). RECEIVED: accepted, and nothing more said (health and police feeds: whether and to whom the child was matched is for EH DAS, not the sender).",
});

@ObjectType({
  description:
    "A feed post's receipt: it was received, under this id. The same whether the child was matched, held for EH DAS or unknown; a retry returns the same receipt.",
})
export class FeedPostReceipt {
  @Field(() => FeedStatus, { description: 'Always RECEIVED.' }) status!: FeedStatus;
  @Field(() => ID, { description: 'Quote it when asking about this post.' }) receiptId!: string;
}

@InputType({
  description:
    'Details of the child a partner may add so a held submission can be resolved, or a new record created, without asking again.',
})
export class ChildDetailsInput {
  @Field(() => String, { nullable: true }) givenName?: string | null;
  @Field(() => String, { nullable: true }) familyName?: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' }) dateOfBirth?: string | null;
  @Field(() => String, { nullable: true }) postcode?: string | null;
}

@ObjectType({
  description:
    'What the hub did with one submission (or one child of it). A retry of the same submission returns the same receipt.',
})
export class FeedReceipt {
  @Field(() => FeedStatus) status!: FeedStatus;
  @Field(() => ID, { nullable: true, description: "The child's hub id when APPLIED." }) childId!: string | null;
  @Field(() => ID, { nullable: true, description: 'The hub record created when APPLIED.' }) recordId!: string | null;
  @Field(() => ID, { nullable: true, description: 'Reference of the held submission when HELD_FOR_REVIEW.' })
  reference!: string | null;
}
