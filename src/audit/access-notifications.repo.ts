/** SQL behind the "who outside the team around the family viewed this child" notifications. */
import { and, desc, eq, gt, gte, inArray, isNull, lte, ne, notInArray, or, sql } from 'drizzle-orm';
import { accessAudit, caseEvents, ehas, involvements, organisations, practitioners } from '../../schema';
import type { DbOrTx } from '../db';
import { partnershipDate } from '../shared/clock';

/** Whether the practitioner is the child's lead practitioner at the instant (an involvement ends at its end instant). */
export async function isLeadPractitioner(
  db: DbOrTx,
  childIds: readonly string[],
  practitionerId: string,
  at: Date,
): Promise<boolean> {
  const [row] = await db
    .select({ id: involvements.id })
    .from(involvements)
    .where(
      and(
        inArray(involvements.childId, [...childIds]),
        eq(involvements.kind, 'lead_practitioner'),
        eq(involvements.practitionerId, practitionerId),
        inForce(at),
      ),
    )
    .limit(1);
  return Boolean(row);
}

/**
 * The involvements that make an organisation part of the team around the family (the TAF): the
 * lead practitioner's, the named TAF members', and the allocated council Early Help team's. An
 * organisation involved otherwise (a school's roll, a health caseload, a police notification) is
 * outside it: its views are what the team is told about.
 */
export const TAF_KINDS = ['lead_practitioner', 'taf_member', 'allocated_family_support'] as const;

/** Organisations in the team around the family at the instant: TAF involvements in force, and the open EHA's family support manager's. */
export async function teamOrganisations(db: DbOrTx, childIds: readonly string[], at: Date): Promise<string[]> {
  const taf = await db
    .selectDistinct({ organisationId: involvements.organisationId })
    .from(involvements)
    .where(and(inArray(involvements.childId, [...childIds]), inArray(involvements.kind, [...TAF_KINDS]), inForce(at)));
  const council = await db
    .selectDistinct({ organisationId: practitioners.organisationId })
    .from(ehas)
    .innerJoin(practitioners, eq(practitioners.id, ehas.familySupportManagerId))
    .where(and(inArray(ehas.childId, [...childIds]), ne(ehas.status, 'closed')));
  return [...new Set([...taf, ...council].map((r) => r.organisationId))];
}

/**
 * Whether the practitioner is in the child's responsible council team at the instant: the open
 * EHA's family support manager, or allocated to the child as its family support.
 */
export async function isResponsibleCouncilPractitioner(
  db: DbOrTx,
  childIds: readonly string[],
  practitionerId: string,
  at: Date,
): Promise<boolean> {
  const [eha] = await db
    .select({ id: ehas.id })
    .from(ehas)
    .where(
      and(
        inArray(ehas.childId, [...childIds]),
        ne(ehas.status, 'closed'),
        eq(ehas.familySupportManagerId, practitionerId),
      ),
    )
    .limit(1);
  if (eha) return true;
  const [allocated] = await db
    .select({ id: involvements.id })
    .from(involvements)
    .where(
      and(
        inArray(involvements.childId, [...childIds]),
        eq(involvements.kind, 'allocated_family_support'),
        eq(involvements.practitionerId, practitionerId),
        inForce(at),
      ),
    )
    .limit(1);
  return Boolean(allocated);
}

/** Started by the instant's calendar day, not yet at its end instant. */
function inForce(at: Date) {
  return and(
    lte(involvements.startedOn, partnershipDate(at)),
    or(isNull(involvements.endsAt), gt(involvements.endsAt, at)),
  );
}

export interface OutsideView {
  organisationId: string;
  organisationName: string | null;
  organisationKind: string | null;
  callerRole: string;
  /** The purpose of use the caller stated. */
  purpose: string | null;
  occurredAt: Date;
  categories: string[];
}

/** Views (rows that returned at least one category) of the child by organisations outside the team, newest first. */
export async function viewsByOthers(
  db: DbOrTx,
  childIds: readonly string[],
  since: Date | null,
  team: readonly string[],
  limit: number,
): Promise<OutsideView[]> {
  return db
    .select({
      organisationId: accessAudit.callerOrganisationId,
      organisationName: organisations.name,
      organisationKind: organisations.kind,
      callerRole: accessAudit.callerRole,
      purpose: accessAudit.purpose,
      occurredAt: accessAudit.occurredAt,
      categories: accessAudit.categoriesReturned,
    })
    .from(accessAudit)
    .leftJoin(organisations, eq(organisations.id, accessAudit.callerOrganisationId))
    .where(
      and(
        inArray(accessAudit.childId, [...childIds]),
        since ? gte(accessAudit.occurredAt, since) : undefined,
        sql`cardinality(${accessAudit.categoriesReturned}) > 0`,
        team.length > 0 ? notInArray(accessAudit.callerOrganisationId, [...team]) : undefined,
      ),
    )
    .orderBy(desc(accessAudit.seq))
    .limit(limit);
}

/** An organisation's name and kind, as a view from outside the team shows them. */
export async function organisationLabel(db: DbOrTx, id: string): Promise<{ name: string; kind: string } | null> {
  const [row] = await db
    .select({ name: organisations.name, kind: organisations.kind })
    .from(organisations)
    .where(eq(organisations.id, id))
    .limit(1);
  return row ?? null;
}

/** When the organisation's views of the child were last announced (`accessed_by_others`) after `since`, if at all. */
export async function lastAnnouncedView(
  db: DbOrTx,
  childIds: readonly string[],
  organisationId: string,
  since: Date,
): Promise<Date | null> {
  const [row] = await db
    .select({ at: sql<Date | string | null>`max(${caseEvents.occurredAt})` })
    .from(caseEvents)
    .where(
      and(
        inArray(caseEvents.childId, [...childIds]),
        eq(caseEvents.kind, 'accessed_by_others'),
        sql`${caseEvents.refs}->>'organisationId' = ${organisationId}`,
        gt(caseEvents.occurredAt, since),
      ),
    );
  return row?.at ? new Date(row.at) : null;
}
