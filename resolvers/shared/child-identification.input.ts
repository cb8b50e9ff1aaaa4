import { Field, InputType } from 'type-graphql';

/**
 * How a partner system names a child it has no hub id for: identifiers, or name and date of birth
 * (with a postcode to rule out a namesake). Matching never creates a record; see src/feeds/child-matcher.ts.
 * Only the inputs that extend it appear in the contract.
 */
@InputType()
export abstract class ChildIdentificationFields {
  @Field(() => String, { nullable: true }) nhsNumber?: string | null;
  @Field(() => String, { nullable: true }) upn?: string | null;
  @Field(() => String, { nullable: true }) givenName?: string | null;
  @Field(() => String, { nullable: true }) familyName?: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' }) dateOfBirth?: string | null;
  @Field(() => String, { nullable: true }) postcode?: string | null;
}
