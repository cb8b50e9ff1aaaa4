import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { ORGANISATION_KINDS } from '../../schema/tables/core';
import { Cluster } from '../shared/cluster.enum';
import { enumOf } from '../shared/enum-of';

export const OrganisationKind = enumOf(ORGANISATION_KINDS);
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];
registerEnumType(OrganisationKind, {
  name: 'OrganisationKind',
  description: 'What kind of partner an organisation is; it decides which roles its practitioners can hold.',
});

@ObjectType({ description: 'A partner organisation: reference data, no child data.' })
export class Organisation {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => OrganisationKind) kind!: OrganisationKind;
  @Field(() => Cluster, { nullable: true, description: 'The Early Help cluster (locality) it belongs to.' })
  cluster!: Cluster | null;
  @Field(() => String, {
    nullable: true,
    description: 'DfE establishment number (schools), ODS code (health), force code (police).',
  })
  externalCode!: string | null;
  @Field(() => ID, { nullable: true, description: 'The practitioner who is its Designated Safeguarding Lead.' })
  designatedSafeguardingLeadId!: string | null;
}

@ObjectType({
  description:
    'Days schools are closed (holidays, INSET days): the term calendar behind police notification deadlines.',
})
export class TermClosure {
  @Field(() => String, { description: 'YYYY-MM-DD' }) firstDay!: string;
  @Field(() => String, { description: 'YYYY-MM-DD, inclusive' }) lastDay!: string;
  @Field(() => String) label!: string;
}

@InputType()
export class CreateOrganisationInput {
  @Field(() => String) name!: string;
  @Field(() => OrganisationKind) kind!: OrganisationKind;
  @Field(() => Cluster, { nullable: true }) cluster?: Cluster | null;
  @Field(() => String, { nullable: true }) externalCode?: string | null;
}

@InputType({
  description: 'Only the fields given change; null clears cluster, externalCode or designatedSafeguardingLeadId.',
})
export class UpdateOrganisationInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => OrganisationKind, {
    nullable: true,
    description: 'Refused if a practitioner of the organisation holds a role the new kind cannot hold.',
  })
  kind?: OrganisationKind | null;
  @Field(() => Cluster, { nullable: true }) cluster?: Cluster | null;
  @Field(() => String, { nullable: true }) externalCode?: string | null;
  @Field(() => ID, { nullable: true, description: 'A practitioner of this organisation.' })
  designatedSafeguardingLeadId?: string | null;
}

@InputType()
export class TermClosureInput {
  @Field(() => String) firstDay!: string;
  @Field(() => String) lastDay!: string;
  @Field(() => String, { description: 'e.g. "Autumn half term", "INSET day".' }) label!: string;
}

@InputType({
  description:
    "Replaces the calendar's closures that start between from and to (at most 400 days apart) with those given.",
})
export class SetTermDatesInput {
  @Field(() => ID, {
    nullable: true,
    description: 'A school with its own terms; null for the local authority calendar.',
  })
  organisationId?: string | null;
  @Field(() => String) from!: string;
  @Field(() => String) to!: string;
  @Field(() => [TermClosureInput]) closures!: TermClosureInput[];
}
