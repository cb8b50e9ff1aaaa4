/** Reading case events by sequence number (NOTIFY carries only the number), and after one (a subscriber catching up). */
import { and, asc, eq, gt, inArray, max } from 'drizzle-orm';
import { caseEvents, involvements } from '../../schema';
import type { DbOrTx } from '../db';
import type { CaseEventRow } from '../events/case-events';

export async function findCaseEventsBySeq(db: DbOrTx, seqs: readonly number[]): Promise<CaseEventRow[]> {
  if (seqs.length === 0) return [];
  return db
    .select()
    .from(caseEvents)
    .where(inArray(caseEvents.seq, [...seqs]));
}

/** The highest sequence number recorded so far (0 for none). */
export async function latestCaseEventSeq(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ seq: max(caseEvents.seq) }).from(caseEvents);
  return Number(row?.seq ?? 0);
}

/** Sequence numbers after one, in order (catching up after LISTEN was lost). */
export async function caseEventSeqsAfter(db: DbOrTx, after: number, limit: number): Promise<number[]> {
  const rows = await db
    .select({ seq: caseEvents.seq })
    .from(caseEvents)
    .where(gt(caseEvents.seq, after))
    .orderBy(asc(caseEvents.seq))
    .limit(limit);
  return rows.map((r) => r.seq);
}

/** Case events after a sequence number, for one child and/or cluster when given, in seq order. */
export async function caseEventsAfter(
  db: DbOrTx,
  after: number,
  filter: { childId: string | null; cluster: string | null },
  limit: number,
): Promise<CaseEventRow[]> {
  return db
    .select()
    .from(caseEvents)
    .where(
      and(
        gt(caseEvents.seq, after),
        filter.childId ? eq(caseEvents.childId, filter.childId) : undefined,
        filter.cluster ? eq(caseEvents.cluster, filter.cluster) : undefined,
      ),
    )
    .orderBy(asc(caseEvents.seq))
    .limit(limit);
}

/**
 * Organisations with any involvement (of any kind, at any date) with each child: a superset of
 * who can have a relationship, read once per event batch so an instance can skip, without a
 * query, organisation-scoped subscribers who cannot relate to the child. Never used to grant.
 */
export async function involvedOrganisations(db: DbOrTx, childIds: readonly string[]): Promise<Map<string, string[]>> {
  const byChild = new Map<string, string[]>();
  if (childIds.length === 0) return byChild;
  const rows = await db
    .selectDistinct({ childId: involvements.childId, organisationId: involvements.organisationId })
    .from(involvements)
    .where(inArray(involvements.childId, [...new Set(childIds)]));
  for (const row of rows) {
    const list = byChild.get(row.childId);
    if (list) list.push(row.organisationId);
    else byChild.set(row.childId, [row.organisationId]);
  }
  return byChild;
}

/** Every case event above a sequence number, in order (a listener catching up after a lost connection). */
export async function caseEventsAbove(db: DbOrTx, above: number, limit: number): Promise<CaseEventRow[]> {
  return db.select().from(caseEvents).where(gt(caseEvents.seq, above)).orderBy(asc(caseEvents.seq)).limit(limit);
}

export async function highestCaseEventSeq(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ seq: max(caseEvents.seq) }).from(caseEvents);
  return Number(row?.seq ?? 0);
}
