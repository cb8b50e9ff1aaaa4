import { Field, ID, InputType } from 'type-graphql';
import { ORGANISATION_KINDS } from '../../schema/tables/core';
import { ConsentGiver, ConsentMethod } from './consent.type';

@InputType({
  description:
    "The recording practitioner's assessment that a young person under the unassisted age (16 by default) is competent to consent for themselves: who assessed, on which day, and why. Kept with the consent, never returned.",
})
export class CompetenceAssessmentInput {
  @Field(() => String, { description: 'Who assessed (name and role).' }) assessedBy!: string;
  @Field(() => String, {
    description: 'Day of the assessment (YYYY-MM-DD), on or before the day the consent was given.',
  })
  assessedOn!: string;
  @Field(() => String, { description: 'Why the young person is judged competent: what they understood.' })
  reasoning!: string;
}

@InputType({
  description:
    'A consent as the family gave it. Categories, purposes and organisation kinds are checked against the ISA lists (BAD_USER_INPUT naming the field).',
})
export class RecordConsentInput {
  @Field(() => ID) childId!: string;
  @Field(() => ConsentGiver) givenBy!: ConsentGiver;
  @Field(() => ID, {
    nullable: true,
    description:
      'The parent (with parental responsibility) or carer linked to the child who gave consent, when you can name them from the family record. Otherwise give giverName and giverRelationship.',
  })
  familyMemberId?: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      "The parent or carer's name as you were told it (written to the record, not checked against it, never returned; EH DAS reconciles it with the family).",
  })
  giverName?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Their relationship to the child as stated, e.g. mother, carer.',
  })
  giverRelationship?: string | null;
  @Field(() => CompetenceAssessmentInput, {
    nullable: true,
    description:
      'Required when the young person gives or joins in giving consent and was 12–15 on the day it was given (the ages are configuration).',
  })
  competenceAssessment?: CompetenceAssessmentInput | null;
  @Field(() => ConsentMethod) method!: ConsentMethod;
  @Field(() => [ID], { nullable: true, description: 'Partner organisations the family agreed may see the data.' })
  organisationIds?: string[] | null;
  @Field(() => [String], {
    nullable: true,
    description: `Or whole kinds of partner: ${ORGANISATION_KINDS.join(', ')}.`,
  })
  organisationKinds?: string[] | null;
  @Field(() => [String], { description: 'ISA data categories, e.g. health, education.' }) categories!: string[];
  @Field(() => [String], { description: 'Purposes of use, e.g. direct_support.' }) purposes!: string[];
  @Field(() => String, { description: 'ISO 8601 date-time with zone.' }) startsAt!: string;
  @Field(() => String, {
    nullable: true,
    description: 'ISO 8601 date-time with zone; after startsAt and in the future.',
  })
  expiresAt?: string | null;
}

@InputType({ description: 'Sharing without consent because seeking it would increase the risk of significant harm.' })
export class DeclareSafeguardingOverrideInput {
  @Field(() => ID) childId!: string;
  @Field(() => [String], { description: 'ISA data categories shared under the override.' }) categories!: string[];
  @Field(() => String, {
    description:
      'Why seeking consent would increase the risk (at least 40 characters). Seen by the DPO, never returned by the API.',
  })
  justification!: string;
  @Field(() => String, { description: 'ISO 8601 date-time with zone, at most 72 hours from now.' }) expiresAt!: string;
  @Field(() => [ID], {
    nullable: true,
    description:
      'Organisations the override opens the categories to (partner organisations of the hub). Default: your organisation and the council Early Help service.',
  })
  recipientOrganisationIds?: string[] | null;
}
