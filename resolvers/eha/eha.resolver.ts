import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { HubContext } from '../../src/server/context';
import { Cluster } from '../shared/cluster.enum';
import {
  CloseOutcome,
  MaspCriterion,
  MaspOutcome,
  SingleAssessmentOutcome,
  StepDownMeeting,
  StepDownSupport,
} from './eha.enums';
import { RecordReviewInput, RecordTafMeetingInput, SetActionPlanInput } from './eha.input';
import { Eha, type EhaSource } from './eha.type';

@Resolver(() => Eha)
export class EhaResolver {
  @Query(() => Eha, {
    nullable: true,
    description: 'One EHA. A missing one and one you have no relationship with give the same NO_RELATIONSHIP.',
  })
  eha(@Arg('id', () => ID) id: string, @Ctx() ctx: HubContext): Promise<EhaSource> {
    return ctx.services.ehaQueries.get(id, ctx);
  }

  @Query(() => Eha, {
    nullable: true,
    description:
      "The child's open EHA (null when none): status, cluster, lead practitioner, next review, and the plan actions your organisation owns.",
  })
  openEha(@Arg('childId', () => ID) childId: string, @Ctx() ctx: HubContext): Promise<EhaSource | null> {
    return ctx.services.ehaQueries.openForChild(childId, ctx);
  }

  @Query(() => [Eha], { description: 'Open EHAs of the children you are involved with.' })
  myCaseload(@Ctx() ctx: HubContext): Promise<EhaSource[]> {
    return ctx.services.ehaQueries.caseload(ctx);
  }

  @Query(() => [Eha], { description: 'Your EHAs whose review is due within `within` days (overdue ones included).' })
  ehasDueForReview(
    @Arg('within', () => Int, { defaultValue: 14, description: 'Days from today, 0–366.' }) within: number,
    @Ctx() ctx: HubContext,
  ): Promise<EhaSource[]> {
    return ctx.services.ehaQueries.dueForReview(within, ctx);
  }

  @Query(() => [Eha], {
    description:
      'Your open EHAs that have run for `months` calendar months or more (default 12, about the longest Early Help should take), oldest first: for the manager to close, step up or take to MASP.',
  })
  longRunningEhas(
    @Arg('months', () => Int, { defaultValue: 12, description: 'Whole months, 1–60.' }) months: number,
    @Ctx() ctx: HubContext,
  ): Promise<EhaSource[]> {
    return ctx.services.ehaQueries.longRunning(months, ctx);
  }

  @Query(() => [Eha], {
    description: 'Your stepped-down EHAs still without a first TAF more than 3 weeks after step down (day 22 on).',
  })
  overdueFirstTafMeetings(@Ctx() ctx: HubContext): Promise<EhaSource[]> {
    return ctx.services.ehaQueries.overdueFirstTaf(ctx);
  }

  @Mutation(() => Eha, {
    description: 'Records a TAF meeting; the first one moves the EHA from awaiting_first_taf to taf_held.',
  })
  recordTafMeeting(
    @Arg('input', () => RecordTafMeetingInput) input: RecordTafMeetingInput,
    @Ctx() ctx: HubContext,
  ): Promise<EhaSource> {
    return ctx.services.ehas.recordTafMeeting(input, ctx);
  }

  @Mutation(() => Eha, { description: 'Sets (or revises) the action plan agreed at the latest meeting.' })
  setActionPlan(
    @Arg('input', () => SetActionPlanInput) input: SetActionPlanInput,
    @Ctx() ctx: HubContext,
  ): Promise<EhaSource> {
    return ctx.services.ehas.setActionPlan(input, ctx);
  }

  @Mutation(() => Eha, { description: 'Records a review of the plan.' })
  recordReview(
    @Arg('input', () => RecordReviewInput) input: RecordReviewInput,
    @Ctx() ctx: HubContext,
  ): Promise<EhaSource> {
    return ctx.services.ehas.recordReview(input, ctx);
  }

  @Mutation(() => Eha, {
    description:
      'Needs met: closed and signposted. Needs not met: step up to Duty and Advice (give socialWorkerId) or refer to MASP (give maspCriteria).',
  })
  closeEha(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('outcome', () => CloseOutcome) outcome: CloseOutcome,
    @Arg('rationale', () => String) rationale: string,
    @Arg('signposting', () => [String], { nullable: true }) signposting: string[] | null,
    @Arg('maspCriteria', () => [MaspCriterion], { nullable: true }) maspCriteria: MaspCriterion[] | null,
    @Arg('socialWorkerId', () => ID, { nullable: true }) socialWorkerId: string | null,
    @Arg('familyFeedback', () => String, {
      nullable: true,
      description: "Needs met: the family's own feedback on the help they had.",
    })
    familyFeedback: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<EhaSource> {
    return ctx.services.escalations.closeEha(
      { ehaId: id, expectedVersion, outcome, rationale, signposting, maspCriteria, socialWorkerId, familyFeedback },
      ctx,
    );
  }

  @Mutation(() => Eha, {
    description:
      'Family Support Work (a step down to a single agency) the family needs more than one agency for becomes an EHA: awaiting its first TAF, due within 3 weeks. The case team records why.',
  })
  escalateToEha(
    @Arg('ehaId', () => ID) ehaId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('rationale', () => String) rationale: string,
    @Ctx() ctx: HubContext,
  ): Promise<EhaSource> {
    return ctx.services.escalations.escalateToEha({ ehaId, expectedVersion, rationale }, ctx);
  }

  @Mutation(() => Eha, {
    description:
      'Immediate safeguarding: refers to Duty and Advice. The EHA stays open until the Single Assessment outcome is recorded.',
  })
  stepUp(
    @Arg('ehaId', () => ID) ehaId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('rationale', () => String) rationale: string,
    @Arg('socialWorkerId', () => ID, { description: 'The Duty and Advice social worker taking the referral.' })
    socialWorkerId: string,
    @Ctx() ctx: HubContext,
  ): Promise<EhaSource> {
    return ctx.services.escalations.stepUp({ ehaId, expectedVersion, rationale, socialWorkerId }, ctx);
  }

  @Mutation(() => Eha, { description: 'Social care records the Single Assessment outcome of a stepped-up EHA.' })
  recordSingleAssessmentOutcome(
    @Arg('ehaId', () => ID) ehaId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('outcome', () => SingleAssessmentOutcome) outcome: SingleAssessmentOutcome,
    @Ctx() ctx: HubContext,
  ): Promise<EhaSource> {
    return ctx.services.escalations.recordSingleAssessmentOutcome({ ehaId, expectedVersion, outcome }, ctx);
  }

  @Mutation(() => Eha, { description: 'Refers the case to the Multi Agency Support Panel.' })
  referToMasp(
    @Arg('ehaId', () => ID) ehaId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('criteria', () => [MaspCriterion]) criteria: MaspCriterion[],
    @Arg('rationale', () => String) rationale: string,
    @Ctx() ctx: HubContext,
  ): Promise<EhaSource> {
    return ctx.services.escalations.referToMasp({ ehaId, expectedVersion, criteria, rationale }, ctx);
  }

  @Mutation(() => Eha, { description: "The MASP chair records the panel's outcome." })
  recordMaspOutcome(
    @Arg('ehaId', () => ID) ehaId: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('outcome', () => MaspOutcome) outcome: MaspOutcome,
    @Arg('rationale', () => String) rationale: string,
    @Ctx() ctx: HubContext,
  ): Promise<EhaSource> {
    return ctx.services.escalations.recordMaspOutcome({ ehaId, expectedVersion, outcome, rationale }, ctx);
  }

  @Mutation(() => Eha, {
    description:
      "A health visitor or school nurse opens a health-led Universal Partnership Plus case for a child on their own caseload and leads it, without a referral to EH DAS. The child's latest health level must be Universal Partnership Plus and the family's Early Help consent in force and shared with health; the council's Family Support Manager for the cluster oversees it. The case is held in the hub, not in Liquid Logic's Early Help module.",
  })
  openHealthLedEha(
    @Arg('childId', () => ID) childId: string,
    @Arg('consentId', () => ID) consentId: string,
    @Arg('cluster', () => Cluster) cluster: Cluster,
    @Arg('familySupportManagerId', () => ID) familySupportManagerId: string,
    @Ctx() ctx: HubContext,
  ): Promise<EhaSource> {
    return ctx.services.healthLedEhas.open({ childId, consentId, cluster, familySupportManagerId }, ctx);
  }

  @Mutation(() => Eha, {
    description:
      'Social care steps a case down on the family’s written consent, after a CIN meeting or CP review conference an EH DAS representative attended: the single assessment becomes the EHA (or single-agency Family Support Work), the first TAF is due within 3 weeks and the social worker is expected at it.',
  })
  stepDown(
    @Arg('childId', () => ID) childId: string,
    @Arg('singleAssessmentRef', () => String) singleAssessmentRef: string,
    @Arg('consentId', () => ID) consentId: string,
    @Arg('familySupportManagerId', () => ID, {
      description:
        'The practitioner allocated the case, who chairs its first TAF: a Family Support Manager or a Family Support Facilitator.',
    })
    familySupportManagerId: string,
    @Arg('cluster', () => Cluster) cluster: Cluster,
    @Arg('meeting', () => StepDownMeeting, {
      description: 'The CIN meeting or CP review conference an EH DAS representative attended before step down.',
    })
    meeting: StepDownMeeting,
    @Arg('meetingHeldOn', () => String, { description: 'YYYY-MM-DD; not in the future.' }) meetingHeldOn: string,
    @Arg('ehDasRepresentativeId', () => ID, { description: 'The council Early Help practitioner who attended it.' })
    ehDasRepresentativeId: string,
    @Arg('support', () => StepDownSupport) support: StepDownSupport,
    @Arg('familySupportWorkerId', () => ID, {
      nullable: true,
      description:
        'Family Support Work only: the Family Support Worker who does it (allocated, and reading the child by that).',
    })
    familySupportWorkerId: string | null,
    @Ctx() ctx: HubContext,
  ): Promise<EhaSource> {
    return ctx.services.escalations.stepDown(
      {
        familySupportWorkerId,
        childId,
        singleAssessmentRef,
        consentId,
        familySupportManagerId,
        cluster,
        meeting,
        meetingHeldOn,
        ehDasRepresentativeId,
        support,
      },
      ctx,
    );
  }
}
