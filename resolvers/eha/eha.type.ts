/**
 * The GraphQL face of an Early Help Assessment. Every type carrying the case is `@ChildData`:
 * its source objects carry `childId`, and each field names the `early_help` category, so the guard
 * decides (role, relationship, consent) before any of it resolves.
 */
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Category, ChildData } from '../../src/access/category.decorator';
import type { ActionPlanRow, EhaRow, PlanActionRow, ReviewRow, TafMeetingRow } from '../../src/eha/eha.repo';
import { Cluster } from '../shared/cluster.enum';
import {
  ActionStatus,
  EhaOrigin,
  EhaStatus,
  LevelOfNeed,
  MaspCriterion,
  MaspOutcome,
  NeedCategory,
  SingleAssessmentOutcome,
  StepDownMeeting,
  StepDownSupport,
} from './eha.enums';

@ObjectType({ description: 'A practitioner as a contact for a case: name, organisation and how to reach them.' })
export class PractitionerContact {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => ID) organisationId!: string;
  @Field(() => String, { nullable: true }) organisationName!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true }) phone!: string | null;
}

@ObjectType({ description: 'A partner organisation, by id and name.' })
export class OrganisationRef {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
}

export type PlanActionSource = PlanActionRow;

@ObjectType({ description: 'A specific action of the plan: who does what, by when, how often.' })
@ChildData()
export class PlanAction {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) @Category('early_help') description!: string | null;
  @Field(() => ID, { nullable: true }) @Category('early_help') owningOrganisationId!: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' }) @Category('early_help') dueDate!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') frequencyOfContact!: string | null;
  @Field(() => ActionStatus, { nullable: true, description: 'As recorded at the latest review.' })
  @Category('early_help')
  status!: ActionStatus | null;
}

export interface PlanNeedSource {
  childId: string;
  category: string;
  services: string;
}

@ObjectType({ description: 'One identified need of the child and the services to meet it.' })
@ChildData()
export class PlanNeed {
  @Field(() => NeedCategory, { nullable: true }) @Category('early_help') category!: NeedCategory | null;
  @Field(() => String, { nullable: true }) @Category('early_help') services!: string | null;
}

export interface KeyAgencySource {
  childId: string;
  organisationId: string;
  responsibilities: string;
  frequencyOfContact: string;
}

@ObjectType({ description: 'A key agency of the plan, its responsibilities and frequency of contact.' })
@ChildData()
export class KeyAgency {
  @Field(() => ID, { nullable: true }) @Category('early_help') organisationId!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') responsibilities!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') frequencyOfContact!: string | null;
}

export type ActionPlanSource = ActionPlanRow;

@ObjectType({
  description: 'The plan agreed at the TAF: every part the protocol requires, and a review date within 3 months.',
})
@ChildData()
export class ActionPlan {
  @Field(() => ID) id!: string;
  @Field(() => Int, { nullable: true }) @Category('early_help') revision!: number | null;
  @Field(() => String, { nullable: true, description: 'The meeting the plan was agreed at (YYYY-MM-DD).' })
  @Category('early_help')
  agreedOn!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') desiredOutcome!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') familyStrengths!: string | null;
  @Field(() => [String], { nullable: true, description: 'What keeps the child safe and well despite the needs.' })
  @Category('early_help')
  protectiveFactors!: string[] | null;
  @Field(() => [PlanNeed], { nullable: true }) @Category('early_help') needs!: PlanNeedSource[] | null;
  @Field(() => [PlanAction], { nullable: true }) @Category('early_help') actions!: PlanActionSource[] | null;
  @Field(() => String, { nullable: true }) @Category('early_help') contingencyPlan!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') timescales!: string | null;
  @Field(() => [KeyAgency], { nullable: true }) @Category('early_help') keyAgencies!: KeyAgencySource[] | null;
  @Field(() => String, { nullable: true }) @Category('early_help') reviewDate!: string | null;
}

export type TafMeetingSource = TafMeetingRow;

@ObjectType({ description: 'A Team Around the Family meeting.' })
@ChildData()
export class TafMeeting {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) @Category('early_help') heldOn!: string | null;
  @Field(() => Boolean, { nullable: true }) @Category('early_help') isFirst!: boolean | null;
  @Field(() => ID, { nullable: true }) @Category('early_help') chairPractitionerId!: string | null;
  @Field(() => ID, { nullable: true }) @Category('early_help') leadPractitionerId!: string | null;
  @Field(() => [ID], { nullable: true }) @Category('early_help') attendeeOrganisationIds!: string[] | null;
}

export interface ActionProgressSource {
  childId: string;
  actionId: string;
  status: string;
  note: string;
}

@ObjectType()
@ChildData()
export class ActionProgress {
  @Field(() => ID, { nullable: true }) @Category('early_help') actionId!: string | null;
  @Field(() => ActionStatus, { nullable: true }) @Category('early_help') status!: ActionStatus | null;
  @Field(() => String, { nullable: true }) @Category('early_help') note!: string | null;
}

export type ReviewSource = ReviewRow;

@ObjectType({ description: 'A review of the plan: progress per action and the next review date (within 3 months).' })
@ChildData()
export class EhaReview {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) @Category('early_help') heldOn!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') wasDueBy!: string | null;
  @Field(() => Boolean, { nullable: true }) @Category('early_help') onTime!: boolean | null;
  @Field(() => Boolean, { nullable: true }) @Category('early_help') circumstancesChanged!: boolean | null;
  @Field(() => [ActionProgress], { nullable: true }) @Category('early_help') progress!: ActionProgressSource[] | null;
  @Field(() => String, { nullable: true }) @Category('early_help') nextReviewDate!: string | null;
  @Field(() => LevelOfNeed, { nullable: true, description: 'The level of need judged at the review.' })
  @Category('early_help')
  levelOfNeed!: LevelOfNeed | null;
}

export type EhaSource = EhaRow;

@ObjectType({ description: 'An Early Help Assessment: the case from allocation (or step down) to closure.' })
@ChildData()
export class Eha {
  @Field(() => ID) id!: string;
  @Field(() => ID) childId!: string;
  @Field(() => EhaStatus, { nullable: true }) @Category('early_help') status!: EhaStatus | null;
  @Field(() => Int, {
    nullable: true,
    description: 'Pass as expectedVersion to the next change; a stale one is refused with CONFLICT.',
  })
  @Category('early_help')
  version!: number | null;
  @Field(() => EhaOrigin, { nullable: true }) @Category('early_help') origin!: EhaOrigin | null;
  @Field(() => Cluster, { nullable: true }) @Category('early_help') cluster!: Cluster | null;
  @Field(() => String, { nullable: true }) @Category('early_help') startedOn!: string | null;
  @Field(() => ID, { nullable: true }) @Category('early_help') referralId!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') singleAssessmentRef!: string | null;
  @Field(() => StepDownMeeting, { nullable: true, description: 'Step down: the social care meeting EH DAS attended.' })
  @Category('early_help')
  stepDownMeeting!: StepDownMeeting | null;
  @Field(() => String, { nullable: true }) @Category('early_help') stepDownMeetingOn!: string | null;
  @Field(() => ID, { nullable: true, description: 'Step down: the EH DAS representative at that meeting.' })
  @Category('early_help')
  stepDownEhDasRepresentativeId!: string | null;
  @Field(() => StepDownSupport, {
    nullable: true,
    description: 'Step down: an EHA or single-agency Family Support Work.',
  })
  @Category('early_help')
  stepDownSupport!: StepDownSupport | null;
  @Field(() => String, {
    nullable: true,
    description:
      'The first TAF is due by this date: 3 weeks after a step down, or after Family Support Work became an EHA (none while it is Family Support Work).',
  })
  @Category('early_help')
  firstTafDueBy!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') firstTafOn!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') nextReviewDue!: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Family Support Work that became an EHA (escalateToEha): the day.',
  })
  @Category('early_help')
  escalatedToEhaOn!: string | null;
  @Field(() => String, { nullable: true, description: 'Why the Family Support Work became an EHA.' })
  @Category('early_help')
  escalationRationale!: string | null;
  @Field(() => String, { nullable: true }) @Category('early_help') stepUpRationale!: string | null;
  @Field(() => SingleAssessmentOutcome, { nullable: true })
  @Category('early_help')
  singleAssessmentOutcome!: SingleAssessmentOutcome | null;
  @Field(() => [MaspCriterion], { nullable: true }) @Category('early_help') maspCriteria!: MaspCriterion[] | null;
  @Field(() => MaspOutcome, { nullable: true }) @Category('early_help') maspOutcome!: MaspOutcome | null;
  @Field(() => String, { nullable: true }) @Category('early_help') closedOn!: string | null;
  @Field(() => String, { nullable: true, description: 'needs_met or stepped_up_to_social_care.' })
  @Category('early_help')
  closureOutcome!: string | null;
  @Field(() => [String], { nullable: true }) @Category('early_help') signposting!: string[] | null;
  @Field(() => String, { nullable: true, description: "Needs met: the family's feedback, recorded at closure." })
  @Category('early_help')
  familyFeedback!: string | null;
}
