import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Category, ChildData } from '../../src/access/category.decorator';
import type { ReferralRow } from '../../src/referral/referral.repo';
import { MatchCandidate } from '../child/child.type';
import { Cluster } from '../shared/cluster.enum';
import { LevelOfNeed, NeedCategory, ReferralStatus } from '../eha/eha.enums';

export type ReferralSource = ReferralRow;
export interface ReferralNeedSource {
  childId: string;
  category: string;
  description: string;
}

@ObjectType({ description: "An identified need of a referral, with the referrer's short description." })
@ChildData()
export class ReferralNeed {
  @Field(() => NeedCategory, { nullable: true }) @Category('early_help') category!: NeedCategory | null;
  @Field(() => String, { nullable: true }) @Category('early_help') description!: string | null;
}

@ObjectType({ description: 'A referral for targeted Early Help, screened by EH DAS.' })
@ChildData()
export class Referral {
  @Field(() => ID) id!: string;
  @Field(() => ID) childId!: string;
  @Field(() => ReferralStatus, { nullable: true }) @Category('early_help') status!: ReferralStatus | null;
  @Field(() => Int, { nullable: true, description: 'Pass as expectedVersion when screening.' })
  @Category('early_help')
  version!: number | null;
  @Field(() => String, { nullable: true }) @Category('early_help') referralDate!: string | null;
  @Field(() => ID, { nullable: true }) @Category('early_help') referrerOrganisationId!: string | null;
  @Field(() => ID, { nullable: true, description: 'The consent the referral rests on …' })
  @Category('early_help')
  consentId!: string | null;
  @Field(() => ID, { nullable: true, description: '… or the safeguarding override in force without consent.' })
  @Category('early_help')
  overrideId!: string | null;
  @Field(() => Cluster, { nullable: true }) @Category('early_help') cluster!: Cluster | null;
  @Field(() => String, { nullable: true }) @Category('early_help') screenedOn!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') decisionRationale!: string | null;
  @Field(() => [String], { nullable: true, description: 'Declined: the services the family was signposted to.' })
  @Category('early_help')
  signposting!: string[] | null;
  @Field(() => ID, { nullable: true, description: 'Accepted: the EHA it became.' }) @Category('early_help') ehaId!:
    | string
    | null;
  @Field(() => LevelOfNeed, { nullable: true, description: 'The level of need judged at screening.' })
  @Category('early_help')
  levelOfNeed!: LevelOfNeed | null;
  @Field(() => String, {
    nullable: true,
    description: 'Accepted with fewer than 3 needs: why the screener judged an EHA right.',
  })
  @Category('early_help')
  belowThresholdReason!: string | null;
  @Field(() => String, {
    nullable: true,
    description: "Allocated outside the cluster of the child's setting: why.",
  })
  @Category('early_help')
  outOfClusterReason!: string | null;
  @Field(() => ID, { nullable: true, description: 'Targeted Support: the organisation giving it.' })
  @Category('early_help')
  targetedSupportOrganisationId!: string | null;
  @Field(() => String, { nullable: true, description: 'Targeted Support: when EH DAS looks again (3 months on).' })
  @Category('early_help')
  targetedSupportReviewBy!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') targetedSupportEndedOn!: string | null;
  @Field(() => String, { nullable: true, description: 'How Targeted Support ended (TargetedSupportOutcome).' })
  @Category('early_help')
  targetedSupportOutcome!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') targetedSupportNote!: string | null;
  @Field(() => ID, { nullable: true, description: 'Referred to social care: the front door it was passed to.' })
  @Category('social_care')
  frontDoorOrganisationId!: string | null;
  @Field(() => Date, { nullable: true, description: 'Referred to social care: when it was passed on.' })
  @Category('social_care')
  frontDoorReferredAt!: Date | null;
}

export enum SubmissionOutcome {
  submitted = 'submitted',
  probable_match = 'probable_match',
}
registerEnumType(SubmissionOutcome, {
  name: 'SubmissionOutcome',
  description: "Always submitted: matching is EH DAS screening's, not the referrer's.",
  valuesConfig: { probable_match: { deprecationReason: 'Never returned: candidates go to EH DAS screening only.' } },
});

@ObjectType({
  description: 'What submitting a referral did. Ids only: the referral itself is read under the early_help category.',
})
export class ReferralSubmission {
  @Field(() => SubmissionOutcome) outcome!: SubmissionOutcome;
  @Field(() => ID, { nullable: true }) referralId!: string | null;
  @Field(() => ID, {
    nullable: true,
    deprecationReason: 'Always null: the referrer is not told which record the child matched.',
  })
  childId!: string | null;
  @Field(() => [MatchCandidate], { deprecationReason: 'Always empty: candidates go to EH DAS screening only.' })
  candidates!: MatchCandidate[];
}
