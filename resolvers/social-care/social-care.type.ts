import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { SOCIAL_CARE_KINDS } from '../../schema/tables/outbox';
import { Category, ChildData } from '../../src/access/category.decorator';
import { enumOf } from '../shared/enum-of';

export const SocialCareKind = enumOf(SOCIAL_CARE_KINDS);
export type SocialCareKind = (typeof SOCIAL_CARE_KINDS)[number];
registerEnumType(SocialCareKind, {
  name: 'SocialCareKind',
  description: 'Child in Need, Child Protection plan, or looked after.',
});

/** Source behind `SocialCareEpisode`: a synced episode row, which carries its child's id. */
export interface SocialCareEpisodeSource {
  id: string;
  childId: string;
  kind: string;
  status: string;
  startedOn: string | null;
  endedOn: string | null;
  endReason: string | null;
}

@ObjectType({ description: 'A social care episode held in Liquid Logic (the statutory record), as last synchronised.' })
@ChildData()
export class SocialCareEpisode {
  @Field(() => ID) id!: string;
  @Field(() => SocialCareKind, { nullable: true }) @Category('social_care') kind!: SocialCareKind | null;
  @Field(() => String, { nullable: true, description: 'open or closed.' }) @Category('social_care') status!:
    | string
    | null;
  @Field(() => String, { nullable: true }) @Category('social_care') startedOn!: string | null;
  @Field(() => String, { nullable: true }) @Category('social_care') endedOn!: string | null;
  @Field(() => String, { nullable: true, description: 'Liquid Logic end reason code (e.g. RC1), never free text.' })
  @Category('social_care')
  endReason!: string | null;
}
