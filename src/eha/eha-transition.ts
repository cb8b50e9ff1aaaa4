/**
 * The one path every EHA mutation takes, so none can skip a rule: access (role-specific rule and
 * the write rule for early_help data), row lock, optimistic version check (CONFLICT), the
 * transition table (INVALID_TRANSITION), the change itself, the transition history and the case
 * event — all in one transaction — then the audit entry.
 */
import { requireCapability, type Capability } from '../access/capabilities';
import type { Db, Tx } from '../db';
import { invariant, NoRelationshipError } from '../errors';
import { recordCaseEvent, type CaseEventKind } from '../events/case-events';
import { partnershipDate, type Clock } from '../shared/clock';
import { requireUuid } from '../shared/validate';
import type { Actor } from '../workflow/actor';
import { nextEhaState, type EhaAction, type EhaPosition } from '../workflow/transitions';
import * as wf from '../workflow/workflow.repo';
import { staleVersion } from '../referral/referral.service';
import * as repo from './eha.repo';
import type { EhaRow, NewEhaRow } from './eha.repo';

export interface EhaChange {
  ehaId: string;
  expectedVersion: number;
  action: EhaAction;
  /** GraphQL mutation name, recorded in the audit. */
  mutation: string;
  eventKind: CaseEventKind;
  changedFields: string[];
  /** What the caller must hold beyond the operation table (e.g. only a MASP chair records a MASP outcome). */
  capability?: Capability;
  /**
   * Validates against stored data and writes the action's own rows; returns the EHA columns to
   * set besides status. Throwing here rolls everything back. Ids of rows it creates go into
   * `eventRefs`, so the case event (and Liquid Logic) names the exact meeting, plan or review —
   * "the EHA's latest" would lose the first of two changes made before a delivery.
   */
  apply(
    tx: Tx,
    eha: EhaRow,
    next: EhaPosition,
    day: { today: string; now: Date },
    eventRefs: Record<string, string>,
  ): Promise<Partial<NewEhaRow>>;
}

export async function changeEha(db: Db, clock: Clock, actor: Actor, change: EhaChange): Promise<EhaRow> {
  const ehaId = requireUuid('ehaId', change.ehaId);
  if (change.capability)
    requireCapability(actor.caller, change.capability, { message: `Your role may not ${change.mutation}` });
  const existing = await repo.findEha(db, ehaId);
  // A missing EHA is refused like another child's, on a stand-in child: same work, same audit.
  await actor.access.requireWrite(existing?.childId ?? actor.audit.standIn(['eha', ehaId]), 'early_help');
  if (!existing) throw new NoRelationshipError('early_help');
  const now = clock.now();
  const today = partnershipDate(now);
  const updated = await db.transaction(async (tx) => {
    const eha = await repo.lockEha(tx, ehaId);
    invariant(eha, 'an EHA read a moment ago still exists');
    if (eha.version !== change.expectedVersion) throw staleVersion(eha.version);
    const next = nextEhaState({ status: eha.status, resumeStatus: eha.resumeStatus }, change.action);
    const eventRefs: Record<string, string> = {};
    const set = await change.apply(tx, eha, next, { today, now }, eventRefs);
    const row = await repo.updateEha(
      tx,
      ehaId,
      eha.version,
      { ...set, status: next.status, resumeStatus: next.resumeStatus },
      now,
    );
    invariant(row, 'the locked EHA row is updated');
    await wf.recordTransition(tx, {
      machine: 'eha',
      entityId: ehaId,
      childId: eha.childId,
      cluster: row.cluster,
      fromState: eha.status,
      action: change.action,
      toState: next.status,
      onDate: today,
      actorSubject: actor.caller.subject,
      at: now,
    });
    await recordCaseEvent(tx, {
      childId: eha.childId,
      kind: change.eventKind,
      categories: ['early_help'],
      changedFields: change.changedFields,
      refs: { ...eventRefs, ehaId },
      cluster: row.cluster,
      actor: actor.caller,
      at: now,
    });
    if (next.status === 'closed') {
      // Closure ends every relationship the case created; history stays in the rows. At the end of
      // the closure day, not at once: closing includes the team's own last steps after the state
      // changes (signposting to universal services, the closure form to the EHA coordinator).
      await wf.endInvolvements(
        tx,
        eha.childId,
        ['allocated_family_support', 'lead_practitioner', 'masp', 'taf_member'],
        today,
      );
    }
    await actor.audit.changedIn(tx, [{ childId: eha.childId, action: change.mutation, fields: change.changedFields }]);
    return row;
  });
  return updated;
}
