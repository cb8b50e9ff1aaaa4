/** SQL behind the lead practitioner's "who outside the team viewed this child" notifications. */
import { and, desc, eq, gte, inArray, isNull, lte, notInArray, or, sql } from 'drizzle-orm';
import { accessAudit, involvements, organisations } from '../../schema';
import type { DbOrTx } from '../db';

/** Whether the practitioner is the child's lead practitioner on the date. */
export async function isLeadPractitioner(db: DbOrTx, childIds: readonly string[], practitionerId: string, onDate: string): Promise<boolean> {
  const [row] = await db.select({ id: involvements.id }).from(involvements).where(and(
    inArray(involvements.childId, [...childIds]),
    eq(involvements.kind, 'lead_practitioner'),
    eq(involvements.practitionerId, practitionerId),
    lte(involvements.startedOn, onDate),
    or(isNull(involvements.endedOn), gte(involvements.endedOn, onDate)),
  )).limit(1);
  return Boolean(row);
}

/** The team around the family: organisations with an involvement with the child in force on the date. */
export async function teamOrganisations(db: DbOrTx, childIds: readonly string[], onDate: string): Promise<string[]> {
  const rows = await db.selectDistinct({ organisationId: involvements.organisationId }).from(involvements).where(and(
    inArray(involvements.childId, [...childIds]),
    lte(involvements.startedOn, onDate),
    or(isNull(involvements.endedOn), gte(involvements.endedOn, onDate)),
  ));
  return rows.map((r) => r.organisationId);
}

export interface OutsideView {
  organisationId: string;
  organisationName: string | null;
  organisationKind: string | null;
  callerRole: string;
  occurredAt: Date;
  categories: string[];
}

/** Views (rows that returned at least one category) of the child by organisations outside the team, newest first. */
export async function viewsByOthers(db: DbOrTx, childIds: readonly string[], since: Date, team: readonly string[], limit: number): Promise<OutsideView[]> {
  return db.select({
    organisationId: accessAudit.callerOrganisationId,
    organisationName: organisations.name,
    organisationKind: organisations.kind,
    callerRole: accessAudit.callerRole,
    occurredAt: accessAudit.occurredAt,
    categories: accessAudit.categoriesReturned,
  }).from(accessAudit)
    .leftJoin(organisations, eq(organisations.id, accessAudit.callerOrganisationId))
    .where(and(
      inArray(accessAudit.childId, [...childIds]),
      gte(accessAudit.occurredAt, since),
      sql`cardinality(${accessAudit.categoriesReturned}) > 0`,
      team.length > 0 ? notInArray(accessAudit.callerOrganisationId, [...team]) : undefined,
    ))
    .orderBy(desc(accessAudit.seq))
    .limit(limit);
}
