/** Safeguarding overrides under DPO review, and legal holds: governance records, not case data. */
import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { REVIEW_OUTCOMES } from '../../src/audit/dpo.service';
import { PageInfo } from '../child/child.type';
import { OverrideReviewStatus } from '../consent/consent.type';
import { upperCaseEnumOf } from '../shared/enum-of';

export { OverrideReviewStatus };

export const ReviewOutcome = upperCaseEnumOf(REVIEW_OUTCOMES);
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];
registerEnumType(ReviewOutcome, {
  name: 'ReviewOutcome',
  description: "The DPO's finding on a safeguarding override.",
});

@ObjectType({ description: 'A safeguarding override (sharing without consent) as the DPO reviews it.' })
export class OverrideForReview {
  @Field(() => ID) id!: string;
  @Field(() => ID) childId!: string;
  @Field(() => [String]) categories!: string[];
  @Field(() => String, {
    description: 'Why seeking consent would place the child at increased risk of significant harm.',
  })
  justification!: string;
  @Field(() => String) declaredBySubject!: string;
  @Field(() => ID) declaredByOrganisationId!: string;
  @Field(() => String) declaredByRole!: string;
  @Field(() => [ID], { description: 'The organisations the override opened its categories to.' })
  recipientOrganisationIds!: string[];
  @Field(() => DateTimeResolver) declaredAt!: Date;
  @Field(() => DateTimeResolver) expiresAt!: Date;
  @Field(() => DateTimeResolver, { nullable: true }) revokedAt!: Date | null;
  @Field(() => OverrideReviewStatus) reviewStatus!: OverrideReviewStatus;
  @Field(() => DateTimeResolver, { nullable: true }) reviewedAt!: Date | null;
  @Field(() => String, { nullable: true }) reviewNote!: string | null;
}

@ObjectType()
export class OverrideReviewConnection {
  @Field(() => [OverrideForReview]) nodes!: OverrideForReview[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) count!: number;
}

@ObjectType({ description: "A legal hold: suspends retention deletion of the child's case data until lifted." })
export class LegalHold {
  @Field(() => ID) id!: string;
  @Field(() => ID) childId!: string;
  @Field(() => String) reason!: string;
  @Field(() => String) placedBySubject!: string;
  @Field(() => DateTimeResolver) placedAt!: Date;
  @Field(() => DateTimeResolver, { nullable: true }) liftedAt!: Date | null;
  @Field(() => String, { nullable: true }) liftReason!: string | null;
}

@ObjectType()
export class LegalHoldConnection {
  @Field(() => [LegalHold]) nodes!: LegalHold[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) count!: number;
}
