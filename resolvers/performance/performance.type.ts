import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Cluster } from '../shared/cluster.enum';

@ObjectType()
export class OutcomeCount {
  @Field(() => String) outcome!: string;
  @Field(() => Int) count!: number;
}

@ObjectType({
  description:
    'The performance book for one cluster (cluster null: referrals not yet placed in a cluster, or the total).',
})
export class ClusterIndicators {
  @Field(() => Cluster, { nullable: true }) cluster!: Cluster | null;
  @Field(() => Int, { description: 'Referrals received in the period.' }) contactsRequestingEarlyHelp!: number;
  @Field(() => Int) referralsAccepted!: number;
  @Field(() => Int) referralsDeclined!: number;
  @Field(() => Int, { description: 'Screened to a single agency response.' }) referralsSingleAgencyResponse!: number;
  @Field(() => Int, { description: "Routed to children's social care's front door at screening." })
  referralsToSocialCare!: number;
  @Field(() => Int, {
    description: "Accepted for an EHA with fewer than 3 needs, each with the screener's recorded reason.",
  })
  referralsAcceptedBelowThreshold!: number;
  @Field(() => Int, { description: 'Open at the end of the period.' }) ehasOpen!: number;
  @Field(() => Int) ehasClosed!: number;
  @Field(() => [OutcomeCount]) closedByOutcome!: OutcomeCount[];
  @Field(() => Int) stepUps!: number;
  @Field(() => Int) stepDowns!: number;
  @Field(() => Int, { description: 'Step downs whose first-TAF deadline fell in the period.' }) firstTafsDue!: number;
  @Field(() => Int) firstTafsWithin3Weeks!: number;
  @Field(() => Float, { nullable: true }) firstTafsWithin3WeeksPercent!: number | null;
  @Field(() => Int) reviewsHeld!: number;
  @Field(() => Int) reviewsOnTime!: number;
  @Field(() => Float, { nullable: true }) reviewsOnTimePercent!: number | null;
}

@ObjectType({ description: 'Partnership indicators for a period, by cluster. Counts only.' })
export class PerformanceIndicators {
  @Field(() => String) from!: string;
  @Field(() => String) to!: string;
  @Field(() => [ClusterIndicators]) clusters!: ClusterIndicators[];
  @Field(() => ClusterIndicators) total!: ClusterIndicators;
}
