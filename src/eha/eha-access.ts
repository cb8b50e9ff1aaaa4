/**
 * The two questions every module built on an EHA asks first (family plan, outcomes, queries):
 * may this caller read it, or write to it? That an EHA exists is itself early_help data: a missing
 * EHA, one the caller has no relationship with and one whose child's early_help the caller may
 * not read (no consent, or consent withdrawn) all get the same NO_RELATIONSHIP, so EHA ids
 * cannot be probed.
 */
import type { DbOrTx } from '../db';
import { NoRelationshipError } from '../errors';
import { isUuid } from '../shared/validate';
import type { Actor } from '../workflow/actor';
import { findEha, type EhaRow } from './eha.repo';

export async function readableEha(db: DbOrTx, ehaId: string, actor: Actor): Promise<EhaRow> {
  actor.access.requirePurpose();
  const eha = isUuid(ehaId) ? await findEha(db, ehaId) : null;
  // A missing EHA is decided like a held one, on a stand-in child (the keyed hash of the id asked
  // for): the same statements, the same answer, the same kind of audit row.
  const childId = eha?.childId ?? actor.audit.standIn(['eha', ehaId]);
  const visible = await ehaVisible(actor, childId);
  if (!eha || !visible) {
    actor.audit.refused(childId);
    throw new NoRelationshipError('early_help');
  }
  return eha;
}

export async function writableEha(db: DbOrTx, ehaId: string, actor: Actor): Promise<EhaRow> {
  const eha = isUuid(ehaId) ? await findEha(db, ehaId) : null;
  await actor.access.requireWrite(eha?.childId ?? actor.audit.standIn(['eha', ehaId]), 'early_help');
  return eha!;
}

/** Whether the caller may know of the child's EHAs at all: it may read the child's early_help. */
export async function ehaVisible(actor: Actor, childId: string): Promise<boolean> {
  return (await actor.access.decide(childId, 'early_help')).allowed;
}

/** The EHAs of a list the caller may know of (the row rule gave the relationship; this adds the consent). */
export async function visibleEhas<T extends { childId: string }>(actor: Actor, rows: T[]): Promise<T[]> {
  const visible = await Promise.all(rows.map((row) => ehaVisible(actor, row.childId)));
  return rows.filter((_, i) => visible[i]);
}
