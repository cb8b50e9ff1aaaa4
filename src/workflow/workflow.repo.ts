/**
 * SQL shared by the workflow modules: who is involved with a child (involvements start and end
 * with the case), the transition history, and the reference lookups the services validate against.
 */
import { and, eq, gt, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import {
  consents,
  involvements,
  organisations,
  practitioners,
  safeguardingOverrides,
  workflowTransitions,
} from '../../schema';
import { isConsentInForce, overrideInForceWhere, overrideOpensToWhere } from '../access/in-force';
import type { InvolvementKind } from '../access/relationship-kinds';
import { preparedOn, type DbOrTx } from '../db';

export type PractitionerRow = typeof practitioners.$inferSelect;
export type OrganisationRow = typeof organisations.$inferSelect;

export async function startInvolvement(
  tx: DbOrTx,
  row: {
    childId: string;
    organisationId: string;
    practitionerId?: string | null;
    kind: InvolvementKind;
    startedOn: string;
    /** The case record that makes it (`case_workflow`: a referral, TAF, allocation or step; `missing_episode`). */
    source: 'case_workflow' | 'missing_episode';
    /** The subject of the practitioner whose act made it. */
    assertedBySubject: string;
  },
): Promise<void> {
  await tx.insert(involvements).values({ ...row, practitionerId: row.practitionerId ?? null });
}

/**
 * Ends open involvements of the given kinds (optionally only one practitioner's): at an instant
 * (a `Date`: no longer related from that moment), or at the end of a calendar day (a date string:
 * the database sets the instant to that day's end in the partnership's time zone).
 */
export async function endInvolvements(
  tx: DbOrTx,
  childId: string,
  kinds: InvolvementKind[],
  end: Date | string,
  practitionerId?: string,
): Promise<void> {
  if (kinds.length === 0) return;
  await tx
    .update(involvements)
    .set(typeof end === 'string' ? { endedOn: end } : { endsAt: end })
    .where(
      and(
        eq(involvements.childId, childId),
        inArray(involvements.kind, kinds),
        isNull(involvements.endsAt),
        practitionerId ? eq(involvements.practitionerId, practitionerId) : undefined,
      ),
    );
}

export async function recordTransition(tx: DbOrTx, row: typeof workflowTransitions.$inferInsert): Promise<void> {
  await tx.insert(workflowTransitions).values(row);
}

/** Clusters of the settings (school, college, early years) whose roll holds the child at `at`. */
export async function rollClusters(tx: DbOrTx, childId: string, at: Date): Promise<string[]> {
  const rows = await tx
    .selectDistinct({ cluster: organisations.cluster })
    .from(involvements)
    .innerJoin(organisations, eq(organisations.id, involvements.organisationId))
    .where(
      and(
        eq(involvements.childId, childId),
        eq(involvements.kind, 'on_roll'),
        or(isNull(involvements.endsAt), gt(involvements.endsAt, at)),
        isNotNull(organisations.cluster),
      ),
    );
  return rows.map((r) => r.cluster!);
}

/** The council's Early Help service: it holds the EH DAS screening queue and the MASP. */
export async function councilEarlyHelpOrganisation(tx: DbOrTx): Promise<OrganisationRow | null> {
  const [row] = await tx
    .select()
    .from(organisations)
    .where(eq(organisations.kind, 'council_early_help'))
    .orderBy(organisations.createdAt, organisations.id)
    .limit(1);
  return row ?? null;
}

/** Children's social care's front door (Duty and Advice): the partnership's social care organisation. */
export async function socialCareFrontDoor(tx: DbOrTx): Promise<OrganisationRow | null> {
  const [row] = await tx
    .select()
    .from(organisations)
    .where(eq(organisations.kind, 'social_care'))
    .orderBy(organisations.createdAt, organisations.id)
    .limit(1);
  return row ?? null;
}

export async function findPractitioners(tx: DbOrTx, ids: string[]): Promise<PractitionerRow[]> {
  if (ids.length === 0) return [];
  return tx
    .select()
    .from(practitioners)
    .where(inArray(practitioners.id, [...new Set(ids)]));
}

/** A practitioner with the name of their organisation: how a partner reaches them. */
export type PractitionerContactRow = Pick<
  PractitionerRow,
  'id' | 'organisationId' | 'displayName' | 'email' | 'phone'
> & { organisationName: string };

export async function practitionerContacts(db: DbOrTx, ids: readonly string[]): Promise<PractitionerContactRow[]> {
  if (ids.length === 0) return [];
  return practitionerContactsQuery(db).execute({ ids: [...new Set(ids)] });
}

const practitionerContactsQuery = preparedOn((db) =>
  db
    .select({
      id: practitioners.id,
      organisationId: practitioners.organisationId,
      displayName: practitioners.displayName,
      email: practitioners.email,
      phone: practitioners.phone,
      organisationName: organisations.name,
    })
    .from(practitioners)
    .innerJoin(organisations, eq(organisations.id, practitioners.organisationId))
    .where(sql`${practitioners.id} = any(${sql.placeholder('ids')}::uuid[])`)
    .prepare('practitioner_contacts'),
);

export async function findOrganisations(tx: DbOrTx, ids: string[]): Promise<OrganisationRow[]> {
  if (ids.length === 0) return [];
  return tx
    .select()
    .from(organisations)
    .where(inArray(organisations.id, [...new Set(ids)]));
}

export async function practitionerBySubject(tx: DbOrTx, subject: string): Promise<PractitionerRow | null> {
  const [row] = await tx.select().from(practitioners).where(eq(practitioners.subject, subject));
  return row ?? null;
}

export type ConsentRow = typeof consents.$inferSelect;

export async function findConsent(tx: DbOrTx, id: string): Promise<ConsentRow | null> {
  const [row] = await tx.select().from(consents).where(eq(consents.id, id));
  return row ?? null;
}

/**
 * An override of the child in force for `category` (in-force.ts), declared by `declaredBy` and
 * opening the category to `openTo` when given.
 */
export async function overrideInForce(
  tx: DbOrTx,
  childId: string,
  category: string,
  at: Date,
  declaredBy?: string,
  openTo?: string,
): Promise<{ id: string } | null> {
  const [row] = await tx
    .select({ id: safeguardingOverrides.id })
    .from(safeguardingOverrides)
    .where(
      and(
        eq(safeguardingOverrides.childId, childId),
        overrideInForceWhere(at),
        sql`${category} = any(${safeguardingOverrides.categories})`,
        declaredBy ? eq(safeguardingOverrides.declaredByOrganisationId, declaredBy) : undefined,
        openTo ? overrideOpensToWhere(openTo) : undefined,
      ),
    )
    .limit(1);
  return row ?? null;
}

/** Whether a consent is in force at `at` (in-force.ts) and covers `category`. */
export function consentInForce(consent: ConsentRow, category: string, at: Date): boolean {
  return isConsentInForce(consent, at) && consent.categories.includes(category);
}
