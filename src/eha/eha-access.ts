/**
 * The two questions every module built on an EHA asks first (family plan, outcomes, queries):
 * may this caller read it, or write to it? A missing EHA and one the caller has no relationship
 * with get the same NO_RELATIONSHIP, so EHA ids cannot be probed.
 */
import type { DbOrTx } from '../db';
import { NoRelationshipError } from '../errors';
import { isUuid } from '../shared/validate';
import type { Actor } from '../workflow/actor';
import { findEha, type EhaRow } from './eha.repo';

export async function readableEha(db: DbOrTx, ehaId: string, actor: Actor): Promise<EhaRow> {
  actor.access.requirePurpose();
  const eha = isUuid(ehaId) ? await findEha(db, ehaId) : null;
  if (!eha || !(await actor.access.hasRelationship(eha.childId))) {
    if (eha) actor.audit.refused(eha.childId);
    throw new NoRelationshipError('early_help');
  }
  return eha;
}

export async function writableEha(db: DbOrTx, ehaId: string, actor: Actor): Promise<EhaRow> {
  const eha = isUuid(ehaId) ? await findEha(db, ehaId) : null;
  if (!eha) throw new NoRelationshipError('early_help');
  await actor.access.requireWrite(eha.childId, 'early_help');
  return eha;
}
