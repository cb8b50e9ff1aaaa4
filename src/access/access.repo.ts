/** SQL behind the access decision: relationships, consents and overrides, batched by child. */
import { and, eq, gt, inArray, isNull, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { consents, involvements, organisations, practitioners, safeguardingOverrides } from '../../schema';
import type { DbOrTx } from '../db';
import type { InvolvementKind } from './relationship-kinds';

export type ConsentRow = typeof consents.$inferSelect;
export type OverrideRow = typeof safeguardingOverrides.$inferSelect;

export interface RelationshipScope {
  kinds: readonly InvolvementKind[];
  organisationId: string;
  /** Set for practitioner-scoped roles (lead practitioner, social worker …). */
  practitionerId: string | null;
  /** Calendar date (UTC) the involvement must cover. */
  onDate: string;
}

/**
 * The row rule as a SQL condition on a child id column: true when an involvement of the caller
 * (organisation or practitioner) of one of the kinds covers the date. Lists use it as a `where`.
 */
export function relationshipCondition(childId: AnyPgColumn | SQL, scope: RelationshipScope): SQL {
  if (scope.kinds.length === 0) return sql`false`;
  const who = scope.practitionerId
    ? eq(involvements.practitionerId, scope.practitionerId)
    : eq(involvements.organisationId, scope.organisationId);
  return sql`exists (select 1 from ${involvements} where ${involvements.childId} = ${childId}
    and ${inArray(involvements.kind, [...scope.kinds])} and ${who}
    and ${involvements.startedOn} <= ${scope.onDate}
    and (${involvements.endedOn} is null or ${involvements.endedOn} >= ${scope.onDate}))`;
}

export async function childIdsWithRelationship(db: DbOrTx, childIds: readonly string[], scope: RelationshipScope): Promise<Set<string>> {
  if (scope.kinds.length === 0 || childIds.length === 0) return new Set();
  const who = scope.practitionerId
    ? eq(involvements.practitionerId, scope.practitionerId)
    : eq(involvements.organisationId, scope.organisationId);
  const rows = await db.selectDistinct({ childId: involvements.childId }).from(involvements).where(and(
    inArray(involvements.childId, [...childIds]),
    inArray(involvements.kind, [...scope.kinds]),
    who,
    lte(involvements.startedOn, scope.onDate),
    or(isNull(involvements.endedOn), sql`${involvements.endedOn} >= ${scope.onDate}`),
  ));
  return new Set(rows.map((r) => r.childId));
}

/** Consents not withdrawn and not expired at `at` (start dates are checked by the decider). */
export async function consentsInForce(db: DbOrTx, childIds: readonly string[], at: Date): Promise<ConsentRow[]> {
  if (childIds.length === 0) return [];
  return db.select().from(consents).where(and(
    inArray(consents.childId, [...childIds]),
    or(isNull(consents.withdrawnAt), gt(consents.withdrawnAt, at)),
    or(isNull(consents.expiresAt), gt(consents.expiresAt, at)),
  ));
}

/** Overrides declared, not expired, not revoked and not found unjustified by the DPO at `at`. */
export async function overridesInForce(db: DbOrTx, childIds: readonly string[], at: Date): Promise<OverrideRow[]> {
  if (childIds.length === 0) return [];
  return db.select().from(safeguardingOverrides).where(and(
    inArray(safeguardingOverrides.childId, [...childIds]),
    lte(safeguardingOverrides.declaredAt, at),
    gt(safeguardingOverrides.expiresAt, at),
    or(isNull(safeguardingOverrides.revokedAt), gt(safeguardingOverrides.revokedAt, at)),
    // The DPO's finding that an override was not justified ends it at once; pending ones count.
    ne(safeguardingOverrides.reviewStatus, 'not_upheld'),
  ));
}

export async function practitionerBySubject(db: DbOrTx, subject: string, organisationId: string): Promise<{ id: string } | null> {
  const [row] = await db.select({ id: practitioners.id }).from(practitioners)
    .where(and(eq(practitioners.subject, subject), eq(practitioners.organisationId, organisationId)));
  return row ?? null;
}

export async function organisationKindOf(db: DbOrTx, organisationId: string): Promise<string | null> {
  const [row] = await db.select({ kind: organisations.kind }).from(organisations).where(eq(organisations.id, organisationId));
  return row?.kind ?? null;
}
