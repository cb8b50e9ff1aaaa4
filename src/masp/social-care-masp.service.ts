/**
 * MASP for cases open only to children's social care: "cases open only to social care come to
 * MASP too". The social worker refers a Child in Need or Child Protection case with the panel's
 * criteria; the MASP chair records the outcome, which tells stepping down to Child in Need from
 * stepping down to Early Help (the social worker then steps the case down: stepDown, which the
 * referral then names, and which waits while the panel has not decided). A referral
 * to LARP is a placement recommendation; the case stays with social care.
 */
import { and, isNull } from 'drizzle-orm';
import { socialCareMaspReferrals } from '../../schema';
import { Capability, requireCapability } from '../access/capabilities';
import type { Db } from '../db';
import { BadUserInputError, ConflictError, invariant, NoRelationshipError } from '../errors';
import { recordCaseEvent } from '../events/case-events';
import { MASP_CRITERIA } from '../eha/escalation.service';
import { openEhaOfChild } from '../eha/eha.repo';
import { partnershipDate, type Clock } from '../shared/clock';
import { requireOneOf, requireText, requireUuid } from '../shared/validate';
import type { Actor } from '../workflow/actor';
import * as wf from '../workflow/workflow.repo';
import * as repo from './masp.repo';
import type { SocialCareMaspRow } from './masp.repo';

/** Where a case open only to social care stands when it comes to MASP. */
export const SOCIAL_CARE_MASP_STATUSES = ['child_in_need', 'child_protection'] as const;
/** The panel's outcomes for a case open only to social care. */
export const SOCIAL_CARE_MASP_OUTCOMES = [
  'resources_agreed',
  'stepped_down_child_in_need',
  'stepped_down_early_help',
  'progress_to_child_protection',
  'refer_to_larp',
] as const;

export interface ReferSocialCareCaseInput {
  childId: string;
  socialCareStatus: string;
  criteria: string[];
  rationale: string;
}

export class SocialCareMaspService {
  private readonly db: Db;
  private readonly clock: Clock;

  constructor({ db, clock }: { db: Db; clock: Clock }) {
    this.db = db;
    this.clock = clock;
  }

  async refer(input: ReferSocialCareCaseInput, actor: Actor): Promise<SocialCareMaspRow> {
    const childId = requireUuid('childId', input.childId);
    const status = requireOneOf('socialCareStatus', input.socialCareStatus, SOCIAL_CARE_MASP_STATUSES);
    if (!input.criteria?.length)
      throw new BadUserInputError('criteria', `name at least one MASP criterion: ${MASP_CRITERIA.join(', ')}`);
    const criteria = [...new Set(input.criteria.map((c, i) => requireOneOf(`criteria[${i}]`, c, MASP_CRITERIA)))];
    const rationale = requireText('rationale', input.rationale, { max: 4000 });
    await actor.access.requireWrite(childId, 'social_care');
    const worker = await wf.practitionerBySubject(this.db, actor.caller.subject);
    invariant(worker, 'a social worker with a relationship is a known practitioner');
    const now = this.clock.now();
    const today = partnershipDate(now);
    return this.db.transaction(async (tx) => {
      // A case with an open EHA goes to MASP through it (referToMasp).
      if (await openEhaOfChild(tx, childId))
        throw new BadUserInputError(
          'childId',
          'the child has an open EHA: refer it to MASP through the EHA (referToMasp)',
        );
      if (await repo.openMaspReferralOf(tx, childId))
        throw new ConflictError('The case is already waiting for MASP', { field: 'childId' });
      const council = await wf.councilEarlyHelpOrganisation(tx);
      invariant(council, 'the partnership has a council Early Help organisation (it runs the MASP)');
      const row = await repo.insertMaspReferral(tx, {
        childId,
        socialCareStatus: status,
        criteria,
        rationale,
        referredOn: today,
        referredBySubject: actor.caller.subject,
        socialWorkerId: worker.id,
      });
      await wf.startInvolvement(tx, {
        childId,
        organisationId: council.id,
        kind: 'masp',
        startedOn: today,
        source: 'case_workflow',
        assertedBySubject: actor.caller.subject,
      });
      await recordCaseEvent(tx, {
        childId,
        kind: 'masp_referred',
        categories: ['social_care'],
        changedFields: FIELDS,
        refs: { maspReferralId: row.id },
        actor: actor.caller,
        at: now,
      });
      await actor.audit.changedIn(tx, [{ childId, action: 'referSocialCareCaseToMasp', fields: FIELDS }]);
      return row;
    });
  }

  async recordOutcome(
    input: { id: string; expectedVersion: number; outcome: string; rationale: string },
    actor: Actor,
  ): Promise<SocialCareMaspRow> {
    const id = requireUuid('id', input.id);
    const outcome = requireOneOf('outcome', input.outcome, SOCIAL_CARE_MASP_OUTCOMES);
    const rationale = requireText('rationale', input.rationale, { max: 4000 });
    requireCapability(actor.caller, Capability.RecordMaspOutcome);
    const existing = await repo.findMaspReferral(this.db, id);
    if (!existing) throw new NoRelationshipError('social_care');
    await actor.access.requireRelationship(existing.childId, 'social_care', ['maspReferral', id]);
    if (outcome === 'stepped_down_child_in_need' && existing.socialCareStatus !== 'child_protection')
      throw new BadUserInputError('outcome', 'a case steps down to Child in Need from Child Protection');
    if (outcome === 'progress_to_child_protection' && existing.socialCareStatus === 'child_protection')
      throw new BadUserInputError('outcome', 'the case is already at Child Protection');
    const now = this.clock.now();
    const today = partnershipDate(now);
    return this.db.transaction(async (tx) => {
      const row = await repo.decide(tx, id, input.expectedVersion, {
        outcome,
        outcomeRationale: rationale,
        decidedOn: today,
      });
      if (!row)
        throw new ConflictError('The referral was decided or changed by someone else; reload it', {
          field: 'expectedVersion',
        });
      await wf.endInvolvements(tx, row.childId, ['masp'], now);
      await recordCaseEvent(tx, {
        childId: row.childId,
        kind: 'masp_outcome',
        categories: ['social_care'],
        changedFields: ['maspOutcome'],
        refs: { maspReferralId: row.id, outcome },
        actor: actor.caller,
        at: now,
      });
      await actor.audit.changedIn(tx, [
        { childId: row.childId, action: 'recordSocialCareMaspOutcome', fields: ['maspOutcome'] },
      ]);
      return row;
    });
  }

  /** The social worker's list: cases the panel stepped down to Early Help, not yet stepped down (stepDown). */
  async stepDownsDue(actor: Actor): Promise<SocialCareMaspRow[]> {
    actor.access.requirePurpose();
    const where = and(repo.STEP_DOWN_DUE, await actor.access.relationshipWhere(socialCareMaspReferrals.childId));
    return repo.listWhere(this.db, where!);
  }

  /** The panel's agenda: cases open only to social care waiting for its outcome. */
  async awaiting(actor: Actor): Promise<SocialCareMaspRow[]> {
    actor.access.requirePurpose();
    const where = and(
      isNull(socialCareMaspReferrals.outcome),
      await actor.access.relationshipWhere(socialCareMaspReferrals.childId),
    );
    return repo.listWhere(this.db, where!);
  }
}

const FIELDS = ['maspReferral', 'involvements'];
