/**
 * What a social care episode Liquid Logic reports does to the child's open EHA, per the
 * partnership's protocol:
 *  - any opening (CIN, CP plan, looked after): the EHA is flagged to its lead practitioner and
 *    family support manager — an `eha_flagged` case event naming them, which their dashboards get;
 *  - a CP plan or a looked-after episode: social care now leads, so the EHA closes as stepped up
 *    to social care (ending the case's Early Help relationships), and the closure goes to Liquid
 *    Logic's Early Help Module like any other. A CIN episode leaves it open: "an open EHA stays
 *    open until social care's Single Assessment outcome is known".
 * Both are recorded under the hub's protocol actor, not Liquid Logic's, so the closure is sent.
 */
import type { Tx } from '../db';
import { invariant } from '../errors';
import * as ehaRepo from '../eha/eha.repo';
import { recordCaseEvent, type CaseEventInput } from '../events/case-events';
import { partnershipDate } from '../shared/clock';
import * as wf from '../workflow/workflow.repo';

export const PROTOCOL_ACTOR: CaseEventInput['actor'] = {
  subject: 'system:early-help-protocol',
  organisationId: '00000000-0000-4000-8000-000000000000',
};

/** Social care kinds under which social care now leads the case. */
const SOCIAL_CARE_LEADS: ReadonlySet<string> = new Set(['cp_plan', 'looked_after']);

/** Closure outcome recorded (its Liquid Logic end reason is STEP_UP). */
export const STEPPED_UP_TO_SOCIAL_CARE = 'stepped_up_to_social_care';

export async function actOnOpenEha(
  tx: Tx,
  childId: string,
  socialCareKind: string,
  now: Date,
): Promise<'none' | 'flagged' | 'closed'> {
  const open = await ehaRepo.openEhaOfChild(tx, childId);
  if (!open) return 'none';
  const eha = await ehaRepo.lockEha(tx, open.id);
  invariant(eha, 'an open EHA read in this transaction still exists');
  await recordCaseEvent(tx, {
    childId,
    kind: 'eha_flagged',
    categories: ['early_help', 'social_care'],
    changedFields: ['socialCareStatus'],
    cluster: eha.cluster,
    refs: {
      ehaId: eha.id,
      socialCareKind,
      familySupportManagerId: eha.familySupportManagerId,
      ...(eha.leadPractitionerId ? { leadPractitionerId: eha.leadPractitionerId } : {}),
    },
    actor: PROTOCOL_ACTOR,
    at: now,
  });
  if (!SOCIAL_CARE_LEADS.has(socialCareKind)) return 'flagged';
  const today = partnershipDate(now);
  const closed = await ehaRepo.updateEha(
    tx,
    eha.id,
    eha.version,
    { status: 'closed', resumeStatus: null, closedOn: today, closureOutcome: STEPPED_UP_TO_SOCIAL_CARE },
    now,
  );
  invariant(closed, 'the locked EHA row is updated');
  await wf.recordTransition(tx, {
    machine: 'eha',
    entityId: eha.id,
    childId,
    cluster: eha.cluster,
    fromState: eha.status,
    action: 'sa_social_care_leads',
    toState: 'closed',
    onDate: today,
    actorSubject: PROTOCOL_ACTOR.subject,
    at: now,
  });
  await recordCaseEvent(tx, {
    childId,
    kind: 'eha_closed',
    categories: ['early_help'],
    changedFields: ['status', 'closure'],
    cluster: eha.cluster,
    refs: { ehaId: eha.id, socialCareKind },
    actor: PROTOCOL_ACTOR,
    at: now,
  });
  await wf.endInvolvements(tx, childId, ['allocated_family_support', 'lead_practitioner', 'masp', 'taf_member'], now);
  return 'closed';
}
