import { Field, ID, InputType } from 'type-graphql';
import { Cluster } from '../shared/cluster.enum';
import { ContactChannel, OfferLevel } from './directory.type';

@InputType({
  description:
    "Your organisation's Early Help offer. Naming the Designated Lead for Safeguarding and Early Help is required.",
})
export class PublishEarlyHelpOfferInput {
  @Field(() => String) name!: string;
  @Field(() => String) description!: string;
  @Field(() => OfferLevel) level!: OfferLevel;
  @Field(() => Cluster, { nullable: true }) cluster?: Cluster | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) address?: string | null;
  @Field(() => String, { nullable: true }) openingHours?: string | null;
  @Field(() => String) designatedLeadName!: string;
  @Field(() => String) designatedLeadEmail!: string;
  @Field(() => String, { nullable: true }) designatedLeadPhone?: string | null;
}

@InputType()
export class SignpostCaseInput {
  @Field(() => ID, { nullable: true, description: 'A declined referral …' }) referralId?: string | null;
  @Field(() => ID, { nullable: true, description: '… or a closed EHA.' }) ehaId?: string | null;
  @Field(() => [ID]) entryIds!: string[];
}

@InputType({ description: 'One Advice Point contact: counted, never linked to a child or family.' })
export class RecordAdvicePointContactInput {
  @Field(() => ID) advicePointId!: string;
  @Field(() => String) contactedOn!: string;
  @Field(() => String, { description: 'A headline outcome area (NeedCategory value) or other.' }) topic!: string;
  @Field(() => ContactChannel) channel!: ContactChannel;
}
