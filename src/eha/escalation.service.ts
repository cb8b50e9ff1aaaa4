/**
 * Where an EHA goes when it ends (the partnership's Early Help protocol): "needs met → closed, signposted to universal
 * services"; "needs not met → immediate safeguarding issue: refer to Duty and Advice (DAS);
 * otherwise refer to the Multi Agency Support Panel (MASP)"; "an open EHA stays open until social
 * care's Single Assessment outcome is known"; and the way back in from social care: "Step down …
 * the single assessment becomes the EHA; the first TAF must be within 3 weeks …; the social worker
 * attends it" — on the family's written consent.
 */
import { CAPABILITIES, Capability, practitionerHolds, requireCapability } from '../access/capabilities';
import { isUniqueViolation, type Db } from '../db';
import { BadUserInputError, ConflictError, ConsentRequiredError, invariant } from '../errors';
import { recordCaseEvent } from '../events/case-events';
import { addDays, addMonths } from '../shared/calendar';
import { partnershipDate, type Clock } from '../shared/clock';
import { optionalText, requireIsoDate, requireOneOf, requireText, requireUuid } from '../shared/validate';
import { CLUSTERS, type Actor } from '../workflow/actor';
import * as wf from '../workflow/workflow.repo';
import * as masp from '../masp/masp.repo';
import { changeEha } from './eha-transition';
import * as repo from './eha.repo';
import type { EhaRow } from './eha.repo';

export const MASP_CRITERIA = [
  'no_improvement',
  'escalation',
  'high_cost',
  'history_of_re_referrals',
  'at_risk_of_becoming_accommodated',
] as const;
export const MASP_OUTCOMES = [
  'resources_agreed',
  'stepped_up_child_in_need',
  'stepped_down_early_help',
  'progress_to_child_protection',
  'refer_to_larp',
] as const;
export type MaspOutcome = (typeof MASP_OUTCOMES)[number];
/**
 * MASP outcomes after which social care leads: the EHA waits for the Single Assessment outcome.
 * A referral to LARP is a placement recommendation, not a step up: Early Help carries on meanwhile.
 */
const MASP_STEPS_UP: readonly MaspOutcome[] = ['stepped_up_child_in_need', 'progress_to_child_protection'];
export const SINGLE_ASSESSMENT_OUTCOMES = ['social_care_leads', 'continue_early_help'] as const;
export const CLOSE_OUTCOMES = ['needs_met', 'needs_not_met_step_up', 'needs_not_met_masp'] as const;
/** The social care meeting an EH DAS representative attends before a case steps down. */
export const STEP_DOWN_MEETINGS = ['cin_meeting', 'cp_review_conference'] as const;
/** What a stepped-down family is offered: an EHA with a TAF, or single-agency Family Support Work. */
export const STEP_DOWN_SUPPORT = ['early_help_assessment', 'family_support_work'] as const;
/** First TAF after step down: "within 3 weeks" — day 21 is on time, day 22 is late. */
export const FIRST_TAF_DAYS = 21;
/** Family Support Work is looked at again (closed or escalated to an EHA) after about 3 months. */
export const FAMILY_SUPPORT_WORK_MONTHS = 3;

export interface CloseEhaInput {
  ehaId: string;
  expectedVersion: number;
  outcome: string;
  rationale: string;
  signposting?: string[] | null;
  maspCriteria?: string[] | null;
  socialWorkerId?: string | null;
  /** Needs met: the family's feedback on the help they had. */
  familyFeedback?: string | null;
}
export interface StepUpInput {
  ehaId: string;
  expectedVersion: number;
  rationale: string;
  socialWorkerId: string;
}
export interface ReferToMaspInput {
  ehaId: string;
  expectedVersion: number;
  criteria: string[];
  rationale: string;
}
export interface MaspOutcomeInput {
  ehaId: string;
  expectedVersion: number;
  outcome: string;
  rationale: string;
}
export interface EscalateToEhaInput {
  ehaId: string;
  expectedVersion: number;
  rationale: string;
}
export interface SingleAssessmentOutcomeInput {
  ehaId: string;
  expectedVersion: number;
  outcome: string;
}
export interface StepDownInput {
  childId: string;
  singleAssessmentRef: string;
  consentId: string;
  familySupportManagerId: string;
  cluster: string;
  /** The CIN meeting or CP review conference an EH DAS representative attended before step down. */
  meeting: string;
  meetingHeldOn: string;
  ehDasRepresentativeId: string;
  /** An EHA, or single-agency Family Support Work. */
  support: string;
  /** Family Support Work: the Family Support Worker who does it (reads the child by that allocation). */
  familySupportWorkerId?: string | null;
}

export interface EscalationServiceOptions {
  db: Db;
  clock: Clock;
}

export class EscalationService {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor({ db, clock }: EscalationServiceOptions) {
    this.db = db;
    this.clock = clock;
  }

  async closeEha(input: CloseEhaInput, actor: Actor): Promise<EhaRow> {
    const outcome = requireOneOf('outcome', input.outcome, CLOSE_OUTCOMES);
    const familyFeedback = optionalText('familyFeedback', input.familyFeedback, 4000);
    if (familyFeedback && outcome !== 'needs_met')
      throw new BadUserInputError('familyFeedback', 'is recorded when the case closes with its needs met');
    if (outcome === 'needs_not_met_step_up') {
      if (!input.socialWorkerId)
        throw new BadUserInputError('socialWorkerId', 'a step up to Duty and Advice names the social worker taking it');
      return this.stepUp(
        {
          ehaId: input.ehaId,
          expectedVersion: input.expectedVersion,
          rationale: input.rationale,
          socialWorkerId: input.socialWorkerId,
        },
        actor,
        'closeEha',
      );
    }
    if (outcome === 'needs_not_met_masp') {
      return this.referToMasp(
        {
          ehaId: input.ehaId,
          expectedVersion: input.expectedVersion,
          rationale: input.rationale,
          criteria: input.maspCriteria ?? [],
        },
        actor,
        'closeEha',
      );
    }
    const rationale = requireText('rationale', input.rationale, { max: 4000 });
    const signposting = (input.signposting ?? []).map((s, i) => requireText(`signposting[${i}]`, s, { max: 300 }));
    if (signposting.length === 0)
      throw new BadUserInputError('signposting', 'needs met: list the universal services the family is signposted to');
    return changeEha(this.db, this.clock, actor, {
      ehaId: input.ehaId,
      expectedVersion: input.expectedVersion,
      action: 'close_needs_met',
      mutation: 'closeEha',
      eventKind: 'eha_closed',
      changedFields: ['status', 'closure'],
      capability: Capability.CloseEha,
      apply: async (_tx, _eha, _next, { today }) => ({
        closedOn: today,
        closureOutcome: 'needs_met',
        closureRationale: rationale,
        signposting,
        familyFeedback,
      }),
    });
  }

  async stepUp(input: StepUpInput, actor: Actor, mutation = 'stepUp'): Promise<EhaRow> {
    const rationale = requireText('rationale', input.rationale, { max: 4000 });
    const socialWorkerId = requireUuid('socialWorkerId', input.socialWorkerId);
    return changeEha(this.db, this.clock, actor, {
      ehaId: input.ehaId,
      expectedVersion: input.expectedVersion,
      action: 'step_up',
      mutation,
      eventKind: 'stepped_up',
      changedFields: ['status', 'stepUp', 'socialWorker'],
      capability: Capability.StepUp,
      apply: async (tx, eha, _next, { today }) => {
        const [worker] = await wf.findPractitioners(tx, [socialWorkerId]);
        if (!worker || !practitionerHolds(worker, Capability.TakeSteppedUpCase))
          throw new BadUserInputError('socialWorkerId', CAPABILITIES[Capability.TakeSteppedUpCase].refusal);
        await wf.startInvolvement(tx, {
          childId: eha.childId,
          organisationId: worker.organisationId,
          practitionerId: worker.id,
          kind: 'allocated_social_worker',
          startedOn: today,
          source: 'case_workflow',
          assertedBySubject: actor.caller.subject,
        });
        return { stepUpRationale: rationale, socialWorkerId: worker.id, singleAssessmentOutcome: null };
      },
    });
  }

  async referToMasp(input: ReferToMaspInput, actor: Actor, mutation = 'referToMasp'): Promise<EhaRow> {
    const rationale = requireText('rationale', input.rationale, { max: 4000 });
    if (!input.criteria?.length)
      throw new BadUserInputError('criteria', `name at least one MASP criterion: ${MASP_CRITERIA.join(', ')}`);
    const criteria = [...new Set(input.criteria.map((c, i) => requireOneOf(`criteria[${i}]`, c, MASP_CRITERIA)))];
    return changeEha(this.db, this.clock, actor, {
      ehaId: input.ehaId,
      expectedVersion: input.expectedVersion,
      action: 'refer_to_masp',
      mutation,
      eventKind: 'masp_referred',
      changedFields: ['status', 'maspCriteria'],
      capability: Capability.CloseEha,
      apply: async (tx, eha, _next, { today }) => {
        const council = await wf.councilEarlyHelpOrganisation(tx);
        invariant(council, 'the partnership has a council Early Help organisation (it runs the MASP)');
        await wf.startInvolvement(tx, {
          childId: eha.childId,
          organisationId: council.id,
          kind: 'masp',
          startedOn: today,
          source: 'case_workflow',
          assertedBySubject: actor.caller.subject,
        });
        return { maspCriteria: criteria, maspRationale: rationale, maspOutcome: null, maspOutcomeRationale: null };
      },
    });
  }

  async recordMaspOutcome(input: MaspOutcomeInput, actor: Actor): Promise<EhaRow> {
    const outcome = requireOneOf('outcome', input.outcome, MASP_OUTCOMES);
    const rationale = requireText('rationale', input.rationale, { max: 4000 });
    return changeEha(this.db, this.clock, actor, {
      ehaId: input.ehaId,
      expectedVersion: input.expectedVersion,
      action: MASP_STEPS_UP.includes(outcome) ? 'masp_step_up' : 'masp_continue',
      mutation: 'recordMaspOutcome',
      eventKind: 'masp_outcome',
      changedFields: ['status', 'maspOutcome'],
      capability: Capability.RecordMaspOutcome,
      apply: async (tx, eha, _next, { now }) => {
        await wf.endInvolvements(tx, eha.childId, ['masp'], now);
        return { maspOutcome: outcome, maspOutcomeRationale: rationale };
      },
    });
  }

  async recordSingleAssessmentOutcome(input: SingleAssessmentOutcomeInput, actor: Actor): Promise<EhaRow> {
    const outcome = requireOneOf('outcome', input.outcome, SINGLE_ASSESSMENT_OUTCOMES);
    return changeEha(this.db, this.clock, actor, {
      ehaId: input.ehaId,
      expectedVersion: input.expectedVersion,
      action: outcome === 'social_care_leads' ? 'sa_social_care_leads' : 'sa_continue_early_help',
      mutation: 'recordSingleAssessmentOutcome',
      eventKind: outcome === 'social_care_leads' ? 'eha_closed' : 'stepped_down',
      changedFields: ['status', 'singleAssessmentOutcome'],
      capability: Capability.RecordSingleAssessmentOutcome,
      apply: async (_tx, _eha, _next, { today }) =>
        outcome === 'social_care_leads'
          ? { singleAssessmentOutcome: outcome, closedOn: today, closureOutcome: 'stepped_up_to_social_care' }
          : { singleAssessmentOutcome: outcome },
    });
  }

  /**
   * Family Support Work the family needs more than one agency for becomes an EHA: awaiting its
   * first TAF, due within 3 weeks, with the reason recorded.
   */
  async escalateToEha(input: EscalateToEhaInput, actor: Actor): Promise<EhaRow> {
    const rationale = requireText('rationale', input.rationale, { max: 4000 });
    return changeEha(this.db, this.clock, actor, {
      ehaId: input.ehaId,
      expectedVersion: input.expectedVersion,
      action: 'escalate_to_eha',
      mutation: 'escalateToEha',
      eventKind: 'eha_opened',
      changedFields: ['status', 'firstTafDueBy', 'escalation'],
      capability: Capability.WorkEha,
      apply: async (_tx, _eha, _next, { today }) => ({
        firstTafDueBy: addDays(today, FIRST_TAF_DAYS),
        nextReviewDue: null,
        escalatedToEhaOn: today,
        escalationRationale: rationale,
      }),
    });
  }

  /**
   * Creates the EHA from a single assessment: awaiting its first TAF, due within 3 weeks — or, when
   * the family chose single-agency Family Support Work, that work, with no TAF.
   */
  async stepDown(input: StepDownInput, actor: Actor): Promise<EhaRow> {
    const childId = requireUuid('childId', input.childId);
    const singleAssessmentRef = requireText('singleAssessmentRef', input.singleAssessmentRef, { max: 100 });
    const consentId = requireUuid('consentId', input.consentId);
    const fsmId = requireUuid('familySupportManagerId', input.familySupportManagerId);
    const cluster = requireOneOf('cluster', input.cluster, CLUSTERS);
    const meeting = requireOneOf('meeting', input.meeting, STEP_DOWN_MEETINGS);
    const meetingHeldOn = requireIsoDate('meetingHeldOn', input.meetingHeldOn);
    const representativeId = requireUuid('ehDasRepresentativeId', input.ehDasRepresentativeId);
    const support = requireOneOf('support', input.support, STEP_DOWN_SUPPORT);
    const workerId = input.familySupportWorkerId
      ? requireUuid('familySupportWorkerId', input.familySupportWorkerId)
      : null;
    if (workerId && support !== 'family_support_work')
      throw new BadUserInputError(
        'familySupportWorkerId',
        'only Family Support Work is allocated to a Family Support Worker',
      );
    requireCapability(actor.caller, Capability.StepDown);
    await actor.access.requireWrite(childId, 'early_help');
    const now = this.clock.now();
    const today = partnershipDate(now);
    const worker = await wf.practitionerBySubject(this.db, actor.caller.subject);
    invariant(worker, 'a social worker with a relationship is a known practitioner');
    // "An EH DAS representative at the CIN meeting or CP review conference before step down".
    if (meetingHeldOn > today) throw new BadUserInputError('meetingHeldOn', 'must not be in the future');
    const eha = await this.db.transaction(async (tx) => {
      const [representative] = await wf.findPractitioners(tx, [representativeId]);
      const council = await wf.councilEarlyHelpOrganisation(tx);
      if (!representative || representative.organisationId !== council?.id)
        throw new BadUserInputError(
          'ehDasRepresentativeId',
          "is not a practitioner of the council's Early Help service",
        );
      const consent = await wf.findConsent(tx, consentId);
      if (!consent || consent.childId !== childId)
        throw new BadUserInputError('consentId', 'is not a consent recorded for this child');
      if (!wf.consentInForce(consent, 'early_help', now)) throw new ConsentRequiredError('early_help');
      // "The family consents" to step down in writing: a verbal consent counts once confirmed in writing.
      if (consent.method !== 'written' && !consent.writtenConfirmedAt)
        throw new BadUserInputError(
          'consentId',
          'step down needs the family’s written consent: confirm this verbal consent in writing first (confirmConsentInWriting)',
        );
      // "Allocated to the FSM / Family Support Facilitator", who chairs the first TAF.
      const [fsm] = await wf.findPractitioners(tx, [fsmId]);
      if (!fsm || !practitionerHolds(fsm, Capability.ChairFirstTaf))
        throw new BadUserInputError(
          'familySupportManagerId',
          'is not a Family Support Manager or a Family Support Facilitator',
        );
      // A case at the panel waits for its decision; one the panel stepped down is carried out here.
      if (await masp.openMaspReferralOf(tx, childId))
        throw new ConflictError('The case is waiting for the Multi Agency Support Panel: record its outcome first', {
          field: 'childId',
        });
      const panel = await masp.stepDownDueOf(tx, childId);
      const [supportWorker] = workerId ? await wf.findPractitioners(tx, [workerId]) : [];
      if (workerId && (!supportWorker || !practitionerHolds(supportWorker, Capability.DoFamilySupportWork)))
        throw new BadUserInputError('familySupportWorkerId', CAPABILITIES[Capability.DoFamilySupportWork].refusal);
      // Family Support Work has no TAF: it is looked at again in 3 months (closed, or escalated to an EHA).
      const singleAgency = support === 'family_support_work';
      const status = singleAgency ? 'family_support_work' : 'awaiting_first_taf';
      const row = await repo
        .createEha(tx, {
          childId,
          status,
          origin: 'step_down',
          singleAssessmentRef,
          cluster,
          startedOn: today,
          familySupportManagerId: fsm.id,
          firstTafDueBy: singleAgency ? null : addDays(today, FIRST_TAF_DAYS),
          nextReviewDue: singleAgency ? addMonths(today, FAMILY_SUPPORT_WORK_MONTHS) : null,
          leadPractitionerId: supportWorker?.id ?? null,
          expectedFirstTafAttendeeId: worker.id,
          socialWorkerId: worker.id,
          stepDownMeeting: meeting,
          stepDownMeetingOn: meetingHeldOn,
          stepDownEhDasRepresentativeId: representative.id,
          stepDownSupport: support,
        })
        .catch((error: unknown) => {
          if (isUniqueViolation(error))
            throw new ConflictError('The child already has an open Early Help Assessment', { field: 'childId' });
          throw error;
        });
      if (panel) await masp.recordStepDown(tx, panel.id, row.id);
      for (const allocated of supportWorker ? [fsm, supportWorker] : [fsm])
        await wf.startInvolvement(tx, {
          childId,
          organisationId: allocated.organisationId,
          practitionerId: allocated.id,
          kind: 'allocated_family_support',
          startedOn: today,
          source: 'case_workflow',
          assertedBySubject: actor.caller.subject,
        });
      await wf.recordTransition(tx, {
        machine: 'eha',
        entityId: row.id,
        childId,
        cluster,
        fromState: null,
        action: 'step_down',
        toState: status,
        onDate: today,
        actorSubject: actor.caller.subject,
        at: now,
      });
      await recordCaseEvent(tx, {
        childId,
        kind: 'stepped_down',
        categories: ['early_help'],
        changedFields: STEP_DOWN_FIELDS,
        refs: { ehaId: row.id },
        cluster,
        actor: actor.caller,
        at: now,
      });
      await actor.audit.changedIn(tx, [{ childId, action: 'stepDown', fields: STEP_DOWN_FIELDS }]);
      return row;
    });
    return eha;
  }
}

const STEP_DOWN_FIELDS = [
  'eha',
  'firstTafDueBy',
  'familySupportManager',
  'expectedFirstTafAttendee',
  'stepDownMeeting',
  'stepDownSupport',
];
