import { Field, InputType, registerEnumType } from 'type-graphql';
import { ChildDetailsInput } from '../feeds/feed.types';
import { PUSH_KINDS } from '../../src/feeds/relationship-push';
import { enumOf } from '../shared/enum-of';

export const PushKind = enumOf(PUSH_KINDS);
export type PushKind = (typeof PUSH_KINDS)[number];
registerEnumType(PushKind, {
  name: 'PushKind',
  description:
    'SNAPSHOT: everyone on the roll (caseload) as of effectiveDate; anyone left out leaves it the day before. CHANGES: starters, and leavers with leftOn.',
});

@InputType({
  description:
    'A pupil of the roll, by UPN, with what the MIS holds of the Common Basic Data Set (names, date of birth, postcode) so an unknown pupil can be matched.',
})
export class RollPupilInput {
  @Field(() => String, { description: 'Unique Pupil Number (check letter verified).' }) upn!: string;
  @Field(() => ChildDetailsInput, { nullable: true }) child?: ChildDetailsInput | null;
  @Field(() => String, { nullable: true, description: 'Entry date, YYYY-MM-DD (default effectiveDate).' }) startedOn?:
    | string
    | null;
  @Field(() => String, {
    nullable: true,
    description: 'Leaving date, YYYY-MM-DD (CHANGES only): on roll until and including it.',
  })
  leftOn?: string | null;
}

@InputType({ description: 'A school MIS pushes its roll. Idempotent on (school, reference).' })
export class PushSchoolRollInput {
  @Field(() => String, {
    description:
      "The MIS's own id for this push: a retry under it changes nothing; different content under it is a CONFLICT.",
  })
  reference!: string;
  @Field(() => PushKind) kind!: PushKind;
  @Field(() => String, { description: 'YYYY-MM-DD the roll is as of.' }) effectiveDate!: string;
  @Field(() => [RollPupilInput], { description: 'At most 5000.' }) pupils!: RollPupilInput[];
}

@InputType({ description: "A child of the trust's caseload, by NHS number (only a traced number matches)." })
export class CaseloadChildInput {
  @Field(() => String) nhsNumber!: string;
  @Field(() => ChildDetailsInput, { nullable: true }) child?: ChildDetailsInput | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD (default effectiveDate).' }) startedOn?:
    | string
    | null;
  @Field(() => String, {
    nullable: true,
    description: 'YYYY-MM-DD (CHANGES only): on the caseload until and including it.',
  })
  leftOn?: string | null;
}

@InputType({
  description:
    "A community trust's system pushes its health caseload (health visitor / school nurse ↔ child). Idempotent on (trust, reference).",
})
export class PushHealthCaseloadInput {
  @Field(() => String) reference!: string;
  @Field(() => PushKind) kind!: PushKind;
  @Field(() => String, { description: 'YYYY-MM-DD the caseload is as of.' }) effectiveDate!: string;
  @Field(() => [CaseloadChildInput], { description: 'At most 5000.' }) children!: CaseloadChildInput[];
}
