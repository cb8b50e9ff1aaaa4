import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Category, ChildData } from '../../src/access/category.decorator';
import { Cluster } from '../shared/cluster.enum';
import { CONTACT_CHANNELS, DIRECTORY_ENTRY_KINDS, OFFER_LEVELS } from '../../src/directory/directory.service';
import { enumOf } from '../shared/enum-of';

export const DirectoryEntryKind = enumOf(DIRECTORY_ENTRY_KINDS);
export type DirectoryEntryKind = (typeof DIRECTORY_ENTRY_KINDS)[number];
registerEnumType(DirectoryEntryKind, {
  name: 'DirectoryEntryKind',
  description: "An organisation's published Early Help offer, or a locality Advice Point.",
});

export const OfferLevel = enumOf(OFFER_LEVELS);
export type OfferLevel = (typeof OFFER_LEVELS)[number];
registerEnumType(OfferLevel, { name: 'OfferLevel' });

export const ContactChannel = enumOf(CONTACT_CHANNELS);
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
registerEnumType(ContactChannel, { name: 'ContactChannel' });

@ObjectType({ description: 'A directory entry: public reference data, no child data.' })
export class DirectoryEntry {
  @Field(() => ID) id!: string;
  @Field(() => ID) organisationId!: string;
  @Field(() => DirectoryEntryKind) kind!: DirectoryEntryKind;
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => OfferLevel) level!: OfferLevel;
  @Field(() => Cluster, { nullable: true, description: 'Locality served; null for city-wide.' })
  cluster!: Cluster | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true }) address!: string | null;
  @Field(() => String, { nullable: true }) openingHours!: string | null;
  @Field(() => String, {
    nullable: true,
    description: "The organisation's Designated Lead for Safeguarding and Early Help (the partnership pledge).",
  })
  designatedLeadName!: string | null;
  @Field(() => String, { nullable: true }) designatedLeadEmail!: string | null;
  @Field(() => String, { nullable: true }) designatedLeadPhone!: string | null;
}

@ObjectType({ description: "A signpost recorded on a child's case (declined referral or closure)." })
@ChildData()
export class CaseSignpost {
  @Field(() => ID) id!: string;
  @Field(() => ID) childId!: string;
  @Field(() => ID, { nullable: true }) @Category('early_help') entryId!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') entryName!: string | null;
  @Field(() => String, { nullable: true, description: 'declined_referral or closure' })
  @Category('early_help')
  context!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') signpostedOn!: string | null;
}

@ObjectType({ description: 'Advice Point contacts counted by topic (no child or family data).' })
export class AdvicePointContactCount {
  @Field(() => ID) advicePointId!: string;
  @Field(() => String) name!: string;
  @Field(() => Cluster, { nullable: true }) cluster!: Cluster | null;
  @Field(() => String) topic!: string;
  @Field(() => Int) contacts!: number;
}
