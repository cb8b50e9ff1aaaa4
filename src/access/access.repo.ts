/** SQL behind the access decision: relationships, consents and overrides, batched by child. */
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { children, consents, involvements, organisations, practitioners, safeguardingOverrides } from '../../schema';
import { preparedOn, type DbOrTx } from '../db';
import { consentInForceWhere, overrideInForceWhere } from './in-force';
import type { InvolvementKind } from './relationship-kinds';

export type ConsentRow = typeof consents.$inferSelect;
export type OverrideRow = typeof safeguardingOverrides.$inferSelect;

export interface RelationshipScope {
  kinds: readonly InvolvementKind[];
  organisationId: string;
  /** Set for practitioner-scoped roles (lead practitioner, social worker …). */
  practitionerId: string | null;
  /** The partnership's calendar date the involvement must have started by. */
  onDate: string;
  /** The instant it must not have ended by: a relationship ends at its end instant, not at midnight. */
  at: Date;
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
    and (${involvements.endsAt} is null or ${involvements.endsAt} > ${scope.at.toISOString()}::timestamptz))`;
}

/** What a decision about one child needs, read in one statement (see childAccessFacts). */
export interface ChildAccessFacts {
  childId: string;
  related: boolean;
  /** False when the hub holds no child under this id (read in the same statement); otherwise held. */
  held?: boolean;
  consents: ConsentInForce[];
  overrides: OverrideInForce[];
}
export type ConsentInForce = Pick<
  ConsentRow,
  'id' | 'startsAt' | 'categories' | 'purposes' | 'organisationIds' | 'organisationKinds'
>;
export type OverrideInForce = Pick<OverrideRow, 'id' | 'categories' | 'recipientOrganisationIds'>;

/**
 * Relationship, consents in force and overrides in force for a batch of children, in ONE
 * statement: the three questions of every decision were three round trips on each lookup.
 * The relationship is relationshipCondition's; consents and overrides count when in force (in-force.ts).
 * Children not in the table come back with no facts (no relationship).
 */
export async function childAccessFacts(
  db: DbOrTx,
  childIds: readonly string[],
  scope: RelationshipScope,
  at: Date,
): Promise<ChildAccessFacts[]> {
  if (childIds.length === 0 || scope.kinds.length === 0) return [];
  const query = scope.practitionerId ? accessFactsByPractitioner(db) : accessFactsByOrganisation(db);
  const rows = await query.execute({ ids: [...childIds], ...accessFactsParameters(scope, at) });
  return rows.map((row) => toAccessFacts(row.childId, row));
}

const accessFactsByOrganisation = preparedOn((db) =>
  accessFactsQuery(db, 'organisation').prepare('child_access_facts_by_organisation'),
);
const accessFactsByPractitioner = preparedOn((db) =>
  accessFactsQuery(db, 'practitioner').prepare('child_access_facts_by_practitioner'),
);

function accessFactsQuery(db: DbOrTx, scopedBy: ScopedBy) {
  return db
    .select({ childId: children.id, ...accessFactsFields(scopedBy) })
    .from(children)
    .where(sql`${children.id} = any(${sql.placeholder('ids')}::uuid[])`);
}

/** Whose involvements make the relationship: the caller's organisation's, or the practitioner's own. */
export type ScopedBy = 'organisation' | 'practitioner';
export const scopedBy = (scope: RelationshipScope): ScopedBy =>
  scope.practitionerId ? 'practitioner' : 'organisation';

/**
 * The facts as select fields of a query over `children`, with placeholders (kinds, who, onDate,
 * at; see accessFactsParameters): a lookup of a child can read its facts in the same statement.
 */
export function accessFactsFields(by: ScopedBy) {
  const who = by === 'practitioner' ? involvements.practitionerId : involvements.organisationId;
  const at = sql`${sql.placeholder('at')}::timestamptz`;
  // Drizzle leaves columns of a one-table select unqualified; inside the subqueries a bare "id"
  // would be the inner table's own.
  const childId = sql`${children}.${sql.identifier(children.id.name)}`;
  return {
    related: sql<boolean>`exists (select 1 from ${involvements} where ${involvements.childId} = ${childId}
      and ${involvements.kind}::text = any(${sql.placeholder('kinds')}::text[]) and ${who} = ${sql.placeholder('who')}::uuid
      and ${involvements.startedOn} <= ${sql.placeholder('onDate')}::date
      and (${involvements.endsAt} is null or ${involvements.endsAt} > ${at}))`,
    consents: sql<RawConsent[]>`coalesce((select json_agg(json_build_object(
        'id', ${consents.id}, 'startsAt', ${consents.startsAt}, 'categories', ${consents.categories}, 'purposes', ${consents.purposes},
        'organisationIds', ${consents.organisationIds}, 'organisationKinds', ${consents.organisationKinds}))
      from ${consents} where ${consents.childId} = ${childId} and ${consentInForceWhere(at)}), '[]'::json)`,
    overrides: sql<
      OverrideInForce[]
    >`coalesce((select json_agg(json_build_object('id', ${safeguardingOverrides.id}, 'categories', ${safeguardingOverrides.categories},
        'recipientOrganisationIds', ${safeguardingOverrides.recipientOrganisationIds}))
      from ${safeguardingOverrides} where ${safeguardingOverrides.childId} = ${childId} and ${overrideInForceWhere(at)}), '[]'::json)`,
  };
}

type RawConsent = Omit<ConsentInForce, 'startsAt'> & { startsAt: string };

export function accessFactsParameters(
  scope: RelationshipScope,
  at: Date,
): { kinds: string[]; who: string; onDate: string; at: string } {
  return {
    kinds: [...scope.kinds],
    who: scope.practitionerId ?? scope.organisationId,
    onDate: scope.onDate,
    at: at.toISOString(),
  };
}

export function toAccessFacts(
  childId: string,
  raw: { related: boolean; consents: RawConsent[]; overrides: OverrideInForce[] },
): ChildAccessFacts {
  return {
    childId,
    related: raw.related,
    consents: raw.consents.map((c) => ({ ...c, startsAt: new Date(c.startsAt) })),
    overrides: raw.overrides,
  };
}

/** Consents in force at `at` (in-force.ts). */
export async function consentsInForce(db: DbOrTx, childIds: readonly string[], at: Date): Promise<ConsentRow[]> {
  if (childIds.length === 0) return [];
  return db
    .select()
    .from(consents)
    .where(and(inArray(consents.childId, [...childIds]), consentInForceWhere(at)));
}

export async function practitionerBySubject(
  db: DbOrTx,
  subject: string,
  organisationId: string,
): Promise<{ id: string } | null> {
  const [row] = await db
    .select({ id: practitioners.id })
    .from(practitioners)
    .where(and(eq(practitioners.subject, subject), eq(practitioners.organisationId, organisationId)));
  return row ?? null;
}

export async function organisationKindOf(db: DbOrTx, organisationId: string): Promise<string | null> {
  const [row] = await db
    .select({ kind: organisations.kind })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  return row?.kind ?? null;
}
