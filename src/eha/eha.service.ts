/**
 * The Team Around the Family at work: TAF meetings, the action plan and its reviews (the partnership's protocol:
 * "first meeting chaired by the Family Support Manager …; lead practitioner (from any agency)
 * identified; action plan agreed"; "Reviews every 3 months (earlier if circumstances change)").
 * Every change goes through `changeEha` (access, lock, version, transition table, event, audit).
 */
import { CAPABILITIES, Capability, practitionerHolds } from '../access/capabilities';
import type { Db } from '../db';
import { BadUserInputError } from '../errors';
import type { Clock } from '../shared/clock';
import { requireIsoDate, requireOneOf, requireText, requireUuid } from '../shared/validate';
import { LEVELS_OF_NEED } from '../workflow/needs';
import type { Actor } from '../workflow/actor';
import * as wf from '../workflow/workflow.repo';
import { requireReviewWithinThreeMonths, validatePlan, type ActionPlanInput } from './action-plan';
import { changeEha } from './eha-transition';
import * as repo from './eha.repo';
import type { EhaRow } from './eha.repo';

export interface RecordTafInput {
  ehaId: string;
  expectedVersion: number;
  heldOn: string;
  attendeeOrganisationIds: string[];
  chairPractitionerId: string;
  leadPractitionerId: string;
}

export interface SetPlanInput extends ActionPlanInput {
  ehaId: string;
  expectedVersion: number;
}

export interface RecordReviewInput {
  ehaId: string;
  expectedVersion: number;
  heldOn: string;
  circumstancesChanged?: boolean | null;
  progress: { actionId: string; status: string; note: string }[];
  nextReviewDate: string;
  /** The level of need judged at the review (universal, early_help, specialist). */
  levelOfNeed: string;
}

export const ACTION_STATUSES = ['not_started', 'in_progress', 'done', 'no_longer_needed'] as const;

export interface EhaServiceOptions {
  db: Db;
  clock: Clock;
}

export class EhaService {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor({ db, clock }: EhaServiceOptions) {
    this.db = db;
    this.clock = clock;
  }

  async recordTafMeeting(input: RecordTafInput, actor: Actor): Promise<EhaRow> {
    const heldOn = requireIsoDate('heldOn', input.heldOn);
    const chairId = requireUuid('chairPractitionerId', input.chairPractitionerId);
    const leadId = requireUuid('leadPractitionerId', input.leadPractitionerId);
    if (!input.attendeeOrganisationIds?.length)
      throw new BadUserInputError('attendeeOrganisationIds', 'list the organisations that attended');
    const attendees = [
      ...new Set(input.attendeeOrganisationIds.map((id, i) => requireUuid(`attendeeOrganisationIds[${i}]`, id))),
    ];
    return changeEha(this.db, this.clock, actor, {
      ehaId: input.ehaId,
      expectedVersion: input.expectedVersion,
      action: 'record_taf',
      mutation: 'recordTafMeeting',
      eventKind: 'taf_recorded',
      changedFields: ['tafMeetings', 'leadPractitioner', 'status'],
      capability: Capability.WorkEha,
      apply: async (tx, eha, _next, { today, now }, eventRefs) => {
        if (heldOn > today) throw new BadUserInputError('heldOn', 'must not be in the future');
        if (heldOn < eha.startedOn) throw new BadUserInputError('heldOn', 'must not be before the EHA started');
        const people = await wf.findPractitioners(tx, [chairId, leadId]);
        const lead = people.find((p) => p.id === leadId);
        const chair = people.find((p) => p.id === chairId);
        if (!chair) throw new BadUserInputError('chairPractitionerId', 'is not a practitioner of the partnership');
        if (!lead) throw new BadUserInputError('leadPractitionerId', 'is not a practitioner of the partnership');
        const isFirst = eha.status === 'awaiting_first_taf';
        // "First meeting chaired by the Family Support Manager / Family Support Facilitator".
        if (isFirst && !practitionerHolds(chair, Capability.ChairFirstTaf))
          throw new BadUserInputError('chairPractitionerId', CAPABILITIES[Capability.ChairFirstTaf].refusal);
        const orgs = await wf.findOrganisations(tx, attendees);
        attendees.forEach((id, i) => {
          if (!orgs.some((o) => o.id === id))
            throw new BadUserInputError(`attendeeOrganisationIds[${i}]`, 'is not a partner organisation');
        });
        const meeting = await repo.insertTafMeeting(tx, {
          ehaId: eha.id,
          childId: eha.childId,
          heldOn,
          isFirst,
          chairPractitionerId: chairId,
          leadPractitionerId: leadId,
          attendeeOrganisationIds: attendees,
          recordedBySubject: actor.caller.subject,
          recordedAt: now,
        });
        eventRefs.tafMeetingId = meeting.id;
        if (eha.leadPractitionerId !== leadId) {
          if (eha.leadPractitionerId)
            await wf.endInvolvements(tx, eha.childId, ['lead_practitioner'], now, eha.leadPractitionerId);
          await wf.startInvolvement(tx, {
            childId: eha.childId,
            organisationId: lead.organisationId,
            practitionerId: lead.id,
            kind: 'lead_practitioner',
            startedOn: today,
            source: 'case_workflow',
            assertedBySubject: actor.caller.subject,
          });
        }
        // Attending organisations are TAF members for as long as the case is open.
        await wf.endInvolvements(tx, eha.childId, ['taf_member'], now);
        for (const organisationId of attendees)
          await wf.startInvolvement(tx, {
            childId: eha.childId,
            organisationId,
            kind: 'taf_member',
            startedOn: today,
            source: 'case_workflow',
            assertedBySubject: actor.caller.subject,
          });
        return { leadPractitionerId: leadId, ...(isFirst ? { firstTafOn: heldOn } : {}) };
      },
    });
  }

  async setActionPlan(input: SetPlanInput, actor: Actor): Promise<EhaRow> {
    const plan = validatePlan(input);
    return changeEha(this.db, this.clock, actor, {
      ehaId: input.ehaId,
      expectedVersion: input.expectedVersion,
      action: 'set_plan',
      mutation: 'setActionPlan',
      eventKind: 'plan_set',
      changedFields: ['actionPlan', 'nextReviewDue', 'status'],
      capability: Capability.WorkEha,
      apply: async (tx, eha, _next, { now }, eventRefs) => {
        const meeting = await repo.latestMeetingDate(tx, eha.id);
        if (!meeting)
          throw new BadUserInputError('ehaId', 'a plan is agreed at a TAF meeting; record the meeting first');
        requireReviewWithinThreeMonths('reviewDate', plan.reviewDate, meeting);
        plan.actions.forEach((a, i) => {
          if (a.dueDate < meeting)
            throw new BadUserInputError(`actions[${i}].dueDate`, 'must not be before the meeting');
        });
        const orgIds = [
          ...plan.actions.map((a) => a.owningOrganisationId),
          ...plan.keyAgencies.map((k) => k.organisationId),
        ];
        const known = new Set((await wf.findOrganisations(tx, orgIds)).map((o) => o.id));
        plan.actions.forEach((a, i) => {
          if (!known.has(a.owningOrganisationId))
            throw new BadUserInputError(`actions[${i}].owningOrganisationId`, 'is not a partner organisation');
        });
        plan.keyAgencies.forEach((k, i) => {
          if (!known.has(k.organisationId))
            throw new BadUserInputError(`keyAgencies[${i}].organisationId`, 'is not a partner organisation');
        });
        const previous = await repo.currentPlan(tx, eha.id);
        const { actions, ...rest } = plan;
        const created = await repo.insertPlan(
          tx,
          {
            ...rest,
            ehaId: eha.id,
            childId: eha.childId,
            revision: (previous?.revision ?? 0) + 1,
            agreedOn: meeting,
            recordedBySubject: actor.caller.subject,
            recordedAt: now,
          },
          actions.map((a, position) => ({ ...a, position, ehaId: eha.id, childId: eha.childId })),
        );
        eventRefs.planId = created.id;
        return { nextReviewDue: plan.reviewDate };
      },
    });
  }

  async recordReview(input: RecordReviewInput, actor: Actor): Promise<EhaRow> {
    const heldOn = requireIsoDate('heldOn', input.heldOn);
    const nextReviewDate = requireIsoDate('nextReviewDate', input.nextReviewDate);
    const levelOfNeed = requireOneOf('levelOfNeed', input.levelOfNeed, LEVELS_OF_NEED);
    requireReviewWithinThreeMonths('nextReviewDate', nextReviewDate, heldOn);
    const progress = (input.progress ?? []).map((p, i) => ({
      actionId: requireUuid(`progress[${i}].actionId`, p.actionId),
      status: requireOneOf(`progress[${i}].status`, p.status, ACTION_STATUSES),
      note: requireText(`progress[${i}].note`, p.note, { max: 2000 }),
    }));
    return changeEha(this.db, this.clock, actor, {
      ehaId: input.ehaId,
      expectedVersion: input.expectedVersion,
      action: 'record_review',
      mutation: 'recordReview',
      eventKind: 'review_recorded',
      changedFields: ['reviews', 'actionProgress', 'nextReviewDue', 'status'],
      capability: Capability.WorkEha,
      apply: async (tx, eha, _next, { today, now }, eventRefs) => {
        if (heldOn > today) throw new BadUserInputError('heldOn', 'must not be in the future');
        const lastMeeting = await repo.latestMeetingDate(tx, eha.id);
        if (lastMeeting && heldOn < lastMeeting)
          throw new BadUserInputError('heldOn', 'must not be before the last meeting');
        const plan = await repo.currentPlan(tx, eha.id);
        const actions = plan ? await repo.actionsOfPlans(tx, [plan.id]) : [];
        const ids = new Set(actions.map((a) => a.id));
        progress.forEach((p, i) => {
          if (!ids.has(p.actionId))
            throw new BadUserInputError(`progress[${i}].actionId`, 'is not an action of the current plan');
        });
        const missing = actions.filter((a) => !progress.some((p) => p.actionId === a.id));
        if (missing.length)
          throw new BadUserInputError(
            'progress',
            `record progress for every action of the plan (${missing.length} missing)`,
          );
        const wasDueBy = eha.nextReviewDue!;
        const review = await repo.insertReview(tx, {
          ehaId: eha.id,
          childId: eha.childId,
          heldOn,
          wasDueBy,
          onTime: heldOn <= wasDueBy,
          circumstancesChanged: Boolean(input.circumstancesChanged),
          progress,
          nextReviewDate,
          levelOfNeed,
          recordedBySubject: actor.caller.subject,
          recordedAt: now,
        });
        eventRefs.reviewId = review.id;
        for (const p of progress) await repo.setActionStatus(tx, p.actionId, p.status);
        return { nextReviewDue: nextReviewDate };
      },
    });
  }
}
