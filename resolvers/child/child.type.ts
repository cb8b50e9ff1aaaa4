import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GENDERS } from '../../schema/tables/core';
import { Category, ChildData } from '../../src/access/category.decorator';
import type { ChildRow } from '../../src/child/child.repo';
import { MATCH_FIELDS } from '../../src/child/child.service';
import { enumOf, upperCaseEnumOf } from '../shared/enum-of';

export const Gender = enumOf(GENDERS);
export type Gender = (typeof GENDERS)[number];
registerEnumType(Gender, { name: 'Gender' });

/** The source object behind `Child`: a child row plus the `childId` every guarded field reads. */
export type ChildSource = ChildRow & { childId: string };

export function toChildSource(row: ChildRow): ChildSource {
  return { ...row, childId: row.id };
}

@ObjectType({
  description: 'One child or young person (0–18, to 25 with SEND, or unborn): the single record every partner shares.',
})
@ChildData()
export class Child {
  @Field(() => ID, { description: 'Hub id. Ids of merged records keep resolving to the surviving record.' })
  id!: string;

  @Field(() => String, { nullable: true })
  @Category('identity')
  givenName!: string | null;

  @Field(() => String, { nullable: true })
  @Category('identity')
  familyName!: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD; null for an unborn baby.' })
  @Category('identity')
  dateOfBirth!: string | null;

  @Field(() => String, { nullable: true, description: 'Expected date of delivery of an unborn baby (YYYY-MM-DD).' })
  @Category('identity')
  expectedDate!: string | null;

  @Field(() => Gender, { nullable: true })
  @Category('identity')
  gender!: Gender | null;

  @Field(() => String, { nullable: true })
  @Category('identifiers')
  nhsNumber!: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Whether the hub traced the NHS number against PDS (traceNhsNumber; provenance in nhsNumberTrace); only traced numbers are trusted for matching. An untraced number is a lead.',
  })
  @Category('identifiers')
  nhsNumberTraced!: boolean | null;

  @Field(() => String, { nullable: true, description: 'Unique Pupil Number.' })
  @Category('identifiers')
  upn!: string | null;

  @Field(() => String, { nullable: true })
  @Category('identifiers')
  liquidLogicPersonId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Null for every caller when PDS holds the record as restricted.',
  })
  @Category('contact')
  addressLine!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Null for every caller when PDS holds the record as restricted.',
  })
  @Category('contact')
  postcode!: string | null;

  @Field(() => String, { nullable: true })
  @Category('contact')
  phone!: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Special educational needs or disability (age range to 25).' })
  @Category('education')
  hasSend!: boolean | null;
}

@ObjectType()
export class PageInfo {
  @Field(() => String, { nullable: true, description: 'Pass as `after` to get the next page.' })
  endCursor!: string | null;

  @Field(() => Boolean)
  hasNextPage!: boolean;
}

@ObjectType({ description: 'A page of children the caller has a relationship with.' })
export class ChildConnection {
  @Field(() => [Child])
  nodes!: ChildSource[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int, { description: 'Children on this page.' })
  count!: number;
}

export enum RegistrationOutcome {
  MATCHED = 'matched',
  CREATED = 'created',
  PROBABLE_MATCH = 'probable_match',
  HELD_FOR_REVIEW = 'held_for_review',
}
registerEnumType(RegistrationOutcome, {
  name: 'RegistrationOutcome',
  description: 'What registering a child did: nothing is created on a probable match until a practitioner confirms.',
  valuesConfig: {
    HELD_FOR_REVIEW: {
      description:
        'Probably a child the hub holds (a nickname, typo, move or swapped date): sent to EH DAS review under `reference`; nothing created.',
    },
  },
});

export const MatchField = upperCaseEnumOf(MATCH_FIELDS);
export type MatchField = (typeof MATCH_FIELDS)[number];
registerEnumType(MatchField, {
  name: 'MatchField',
  valuesConfig: { PROBABILISTIC: { description: 'Every detail agreed closely enough to link without review.' } },
});

@ObjectType({
  description:
    'A record that may be the same child. Only its id is shown; read it through `child(id)` if your access allows.',
})
export class MatchCandidate {
  @Field(() => ID) childId!: string;
  @Field(() => MatchField) matchedOn!: MatchField;
}

@ObjectType()
export class ChildRegistration {
  @Field(() => RegistrationOutcome) outcome!: RegistrationOutcome;
  @Field(() => ID, { nullable: true, description: 'The matched or created record.' }) childId!: string | null;
  @Field(() => MatchField, { nullable: true }) matchedOn!: MatchField | null;
  @Field(() => [MatchCandidate]) candidates!: MatchCandidate[];
  @Field(() => ID, { nullable: true, description: 'The EH DAS review reference when the outcome is HELD_FOR_REVIEW.' })
  reference!: string | null;
}
