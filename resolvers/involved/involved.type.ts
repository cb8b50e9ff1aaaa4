import { Field, ID, ObjectType } from 'type-graphql';
import type { DataCategory } from '../../src/access/categories';
import { Category, ChildData } from '../../src/access/category.decorator';
import type { InvolvedRow } from '../../src/involved/involved.repo';

export type InvolvedEntrySource = InvolvedRow & { childId: string };

/**
 * One organisation's link with the child. A type per category, so every field is guarded by the
 * category the link reveals (a health link is health data, a school roll is education data).
 */
function involvedEntry(name: string, category: DataCategory, description: string) {
  @ObjectType(name, { description })
  @ChildData()
  class Entry {
    @Field(() => ID) childId!: string;
    @Field(() => ID, { nullable: true }) @Category(category) organisationId!: string | null;
    @Field(() => String, { nullable: true }) @Category(category) organisationName!: string | null;
    @Field(() => String, { nullable: true }) @Category(category) organisationKind!: string | null;
    @Field(() => String, {
      nullable: true,
      description: 'involvement, health_feed, attendance_feed, police_feed, vcs_feed, open_eha or social_care.',
    })
    @Category(category)
    source!: string | null;
    @Field(() => String, {
      nullable: true,
      description: 'e.g. on_roll, caseload, lead_practitioner, health_level, operation_encompass, open_eha, cin.',
    })
    @Category(category)
    relationship!: string | null;
    @Field(() => String, { nullable: true }) @Category(category) since!: string | null;
    @Field(() => String, { nullable: true }) @Category(category) lastActivityOn!: string | null;
    @Field(() => String, {
      nullable: true,
      description: 'The named professional to check with, when the link names one.',
    })
    @Category(category)
    practitionerName!: string | null;
    @Field(() => String, { nullable: true }) @Category(category) practitionerEmail!: string | null;
    @Field(() => String, { nullable: true }) @Category(category) practitionerPhone!: string | null;
    @Field(() => String, { nullable: true, description: 'Health level, EHA status or social care status.' })
    @Category(category)
    detail!: string | null;
  }
  return Entry;
}

export const EducationInvolvement = involvedEntry(
  'EducationInvolvement',
  'education',
  'A school the child is on the roll of, or that sends attendance returns.',
);
export const HealthInvolvement = involvedEntry(
  'HealthInvolvement',
  'health',
  'A health organisation with the child on its caseload or posting health levels.',
);
export const PoliceInvolvement = involvedEntry(
  'PoliceInvolvement',
  'police',
  'A police force that has sent Operation Encompass notifications about the child.',
);
export const SocialCareInvolvement = involvedEntry(
  'SocialCareInvolvement',
  'social_care',
  'An allocated social worker or an open social care episode (CIN, CP plan, looked after).',
);
export const EarlyHelpInvolvement = involvedEntry(
  'EarlyHelpInvolvement',
  'early_help',
  'Early Help links: open EHA, lead practitioner, Family Support Manager, TAF members, voluntary sector support.',
);

@ObjectType({
  description:
    "Who else is involved with a child: for a referral being screened and for a TAF. Each list shows only what your role and the family's consent allow; a withheld list is null with its error (CONSENT_REQUIRED, FORBIDDEN).",
})
@ChildData()
export class WhoElseIsInvolved {
  @Field(() => ID) childId!: string;
  @Field(() => ID, { nullable: true }) referralId!: string | null;
  @Field(() => ID, { nullable: true }) ehaId!: string | null;
  @Field(() => [EducationInvolvement], { nullable: true }) @Category('education') education!:
    | InvolvedEntrySource[]
    | null;
  @Field(() => [HealthInvolvement], { nullable: true }) @Category('health') health!: InvolvedEntrySource[] | null;
  @Field(() => [PoliceInvolvement], { nullable: true }) @Category('police') police!: InvolvedEntrySource[] | null;
  @Field(() => [SocialCareInvolvement], { nullable: true }) @Category('social_care') socialCare!:
    | InvolvedEntrySource[]
    | null;
  @Field(() => [EarlyHelpInvolvement], { nullable: true }) @Category('early_help') earlyHelp!:
    | InvolvedEntrySource[]
    | null;
}
