import { Field, ID, InputType, Int } from 'type-graphql';
import { ActionStatus, LevelOfNeed, NeedCategory } from './eha.enums';

@InputType({
  description:
    'A Team Around the Family meeting: date, attendees by organisation, chair and the lead practitioner appointed.',
})
export class RecordTafMeetingInput {
  @Field(() => ID) ehaId!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => String, { description: 'YYYY-MM-DD, not in the future.' }) heldOn!: string;
  @Field(() => [ID]) attendeeOrganisationIds!: string[];
  @Field(() => ID) chairPractitionerId!: string;
  @Field(() => ID) leadPractitionerId!: string;
}

@InputType()
export class PlanNeedInput {
  @Field(() => NeedCategory) category!: NeedCategory;
  @Field(() => String, { nullable: true, description: 'The services that will meet the need (required).' }) services?:
    | string
    | null;
}

@InputType()
export class PlanActionInput {
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => ID, { nullable: true }) owningOrganisationId?: string | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' }) dueDate?: string | null;
  @Field(() => String, { nullable: true }) frequencyOfContact?: string | null;
}

@InputType()
export class KeyAgencyInput {
  @Field(() => ID, { nullable: true }) organisationId?: string | null;
  @Field(() => String, { nullable: true }) responsibilities?: string | null;
  @Field(() => String, { nullable: true }) frequencyOfContact?: string | null;
}

@InputType({
  description:
    'The action plan. Every part is required — a plan missing one is refused with BAD_USER_INPUT naming it — and the review date must be no later than 3 months after the meeting (calendar months: 31 Jan → 30 Apr).',
})
export class SetActionPlanInput {
  @Field(() => ID) ehaId!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => String, { nullable: true }) desiredOutcome?: string | null;
  @Field(() => String, { nullable: true }) familyStrengths?: string | null;
  @Field(() => [String], {
    nullable: true,
    description: 'What keeps the child safe and well despite the needs: people, routines, services.',
  })
  protectiveFactors?: string[] | null;
  @Field(() => [PlanNeedInput], { nullable: true }) needs?: PlanNeedInput[] | null;
  @Field(() => [PlanActionInput], { nullable: true }) actions?: PlanActionInput[] | null;
  @Field(() => String, { nullable: true }) contingencyPlan?: string | null;
  @Field(() => String, { nullable: true }) timescales?: string | null;
  @Field(() => [KeyAgencyInput], { nullable: true }) keyAgencies?: KeyAgencyInput[] | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' }) reviewDate?: string | null;
}

@InputType()
export class ActionProgressInput {
  @Field(() => ID) actionId!: string;
  @Field(() => ActionStatus) status!: ActionStatus;
  @Field(() => String) note!: string;
}

@InputType({
  description:
    'A review: progress on every action of the plan, and the next review date within 3 months (earlier when circumstances change).',
})
export class RecordReviewInput {
  @Field(() => ID) ehaId!: string;
  @Field(() => Int) expectedVersion!: number;
  @Field(() => String) heldOn!: string;
  @Field(() => Boolean, { nullable: true }) circumstancesChanged?: boolean | null;
  @Field(() => [ActionProgressInput]) progress!: ActionProgressInput[];
  @Field(() => String) nextReviewDate!: string;
  @Field(() => LevelOfNeed, { description: 'The level of need judged at this review.' }) levelOfNeed!: LevelOfNeed;
}
