/** Reading case events by sequence number (NOTIFY carries only the number). */
import { inArray } from 'drizzle-orm';
import { caseEvents } from '../../schema';
import type { DbOrTx } from '../db';
import type { CaseEventRow } from '../events/case-events';

export async function findCaseEventsBySeq(db: DbOrTx, seqs: readonly number[]): Promise<CaseEventRow[]> {
  if (seqs.length === 0) return [];
  return db.select().from(caseEvents).where(inArray(caseEvents.seq, [...seqs]));
}
