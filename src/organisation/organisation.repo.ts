import { and, asc, eq, gte, isNull, lte } from 'drizzle-orm';
import { organisations, practitioners, schoolClosures } from '../../schema';
import type { DbOrTx } from '../db';

export type OrganisationRow = typeof organisations.$inferSelect;

export async function findOrganisation(db: DbOrTx, id: string): Promise<OrganisationRow | null> {
  const [row] = await db.select().from(organisations).where(eq(organisations.id, id));
  return row ?? null;
}

export async function countOrganisations(db: DbOrTx): Promise<number> {
  return await db.$count(organisations);
}

export async function insertOrganisation(db: DbOrTx, row: typeof organisations.$inferInsert): Promise<OrganisationRow> {
  const [created] = await db.insert(organisations).values(row).returning();
  return created!;
}

export async function updateOrganisationRow(
  db: DbOrTx,
  id: string,
  set: Partial<typeof organisations.$inferInsert>,
): Promise<OrganisationRow> {
  const [updated] = await db.update(organisations).set(set).where(eq(organisations.id, id)).returning();
  return updated!;
}

/** The roles held by the organisation's practitioners (a change of kind must still fit them). */
export async function rolesHeldIn(db: DbOrTx, organisationId: string): Promise<string[]> {
  const rows = await db
    .select({ roles: practitioners.roles })
    .from(practitioners)
    .where(eq(practitioners.organisationId, organisationId));
  return [...new Set(rows.flatMap((r) => r.roles))];
}

export async function practitionerOrganisation(db: DbOrTx, practitionerId: string): Promise<string | null> {
  const [row] = await db
    .select({ organisationId: practitioners.organisationId })
    .from(practitioners)
    .where(eq(practitioners.id, practitionerId));
  return row?.organisationId ?? null;
}

export type ClosureRow = typeof schoolClosures.$inferSelect;

const calendar = (organisationId: string | null) =>
  organisationId === null ? isNull(schoolClosures.organisationId) : eq(schoolClosures.organisationId, organisationId);

/** Replaces one calendar's closures that start within [from, to]. */
export async function replaceClosures(
  tx: DbOrTx,
  organisationId: string | null,
  from: string,
  to: string,
  rows: { firstDay: string; lastDay: string; label: string }[],
): Promise<ClosureRow[]> {
  await tx
    .delete(schoolClosures)
    .where(and(calendar(organisationId), gte(schoolClosures.firstDay, from), lte(schoolClosures.firstDay, to)));
  if (rows.length) await tx.insert(schoolClosures).values(rows.map((r) => ({ ...r, organisationId })));
  return tx
    .select()
    .from(schoolClosures)
    .where(and(calendar(organisationId), gte(schoolClosures.firstDay, from), lte(schoolClosures.firstDay, to)))
    .orderBy(asc(schoolClosures.firstDay));
}
