import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum PendingMatchStatus { pending = 'pending', resolved = 'resolved' }
registerEnumType(PendingMatchStatus, { name: 'PendingMatchStatus' });

@ObjectType({
  description: 'A partner submission held because its child could not be matched with certainty. Shows only what is needed to '
    + 'find the child (identifiers and name, as the partner sent them), never the submission\'s content.',
})
export class PendingMatch {
  @Field(() => ID, { description: 'The reference the submitter was given.' }) id!: string;
  @Field(() => String, { description: 'health, school, police or vcs.' }) feed!: string;
  @Field(() => ID) organisationId!: string;
  @Field(() => String, { description: 'no_match, ambiguous, untraced_nhs_number or not_on_roll.' }) reason!: string;
  @Field(() => [ID], { description: 'Records that might be this child.' }) candidateChildIds!: string[];
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
