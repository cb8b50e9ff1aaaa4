import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { PENDING_MATCH_STATUSES } from '../../src/feeds/pending-matches.service';
import { enumOf } from '../shared/enum-of';

export const PendingMatchStatus = enumOf(PENDING_MATCH_STATUSES);
export type PendingMatchStatus = (typeof PENDING_MATCH_STATUSES)[number];
registerEnumType(PendingMatchStatus, { name: 'PendingMatchStatus' });

@ObjectType({ description: 'How one field of the held description compared with the candidate record.' })
export class MatchFieldWeight {
  @Field(() => String, { description: 'givenName, familyName, dateOfBirth, postcode, sex, nhsNumber or upn.' })
  field!: string;
  @Field(() => String, {
    description:
      'The agreement level, e.g. exact, nickname, similar, swapped_day_month, one_digit, same_district, different, missing.',
  })
  level!: string;
  @Field(() => Float, {
    description:
      "The level's log2(m/u) weight: positive for evidence of the same child, negative against, 0 when missing.",
  })
  weight!: number;
}

@ObjectType({ description: "The probabilistic matcher's reasons for offering a candidate record." })
export class MatchExplanation {
  @Field(() => ID) childId!: string;
  @Field(() => Float, { description: 'The sum of the field weights.' }) score!: number;
  @Field(() => String, { description: 'auto or review.' }) band!: string;
  @Field(() => String, {
    nullable: true,
    description: 'A rule that decided over the score (traced_nhs_number), if any.',
  })
  rule!: string | null;
  @Field(() => [MatchFieldWeight]) fields!: MatchFieldWeight[];
}

@ObjectType({
  description:
    'A partner submission held because its child could not be matched with certainty. Shows only what is needed to ' +
    "find the child (identifiers and name, as the partner sent them), never the submission's content.",
})
export class PendingMatch {
  @Field(() => ID, { description: 'The reference the submitter was given.' }) id!: string;
  @Field(() => String, {
    description:
      'health, school, police, vcs, roll, caseload, or registration (a registerChild scored as probably an existing child).',
  })
  feed!: string;
  @Field(() => ID) organisationId!: string;
  @Field(() => String, { description: 'no_match, ambiguous, untraced_nhs_number, not_on_roll or probable_match.' })
  reason!: string;
  @Field(() => [ID], { description: 'Records that might be this child.' }) candidateChildIds!: string[];
  @Field(() => [MatchExplanation], {
    description:
      "For candidates the probabilistic matcher offered: the score and each field's agreement level and weight. Empty for exact-identifier holds.",
  })
  explanation!: MatchExplanation[];
  @Field(() => String, { nullable: true }) nhsNumber!: string | null;
  @Field(() => String, { nullable: true }) upn!: string | null;
  @Field(() => String, { nullable: true }) givenName!: string | null;
  @Field(() => String, { nullable: true }) familyName!: string | null;
  @Field(() => String, { nullable: true }) dateOfBirth!: string | null;
  @Field(() => String, { nullable: true }) postcode!: string | null;
  @Field(() => PendingMatchStatus) status!: PendingMatchStatus;
  @Field(() => ID, { nullable: true }) resolvedChildId!: string | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) resolvedAt!: Date | null;
}
