/** SQL of SCIM provisioning: practitioners, their roles (Groups) and their deactivation (a subject revocation). */
import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { organisations, practitioners, revokedCredentials } from '../../schema';
import type { DbOrTx } from '../db';

export type PractitionerRow = typeof practitioners.$inferSelect;
export type ScimPractitioner = PractitionerRow & { active: boolean };

/** Deactivation is an unrestored subject revocation for the practitioner's `sub`, any issuer. */
const deactivated = (subject: string) =>
  and(
    eq(revokedCredentials.kind, 'subject'),
    eq(revokedCredentials.value, subject),
    isNull(revokedCredentials.issuer),
    isNull(revokedCredentials.restoredAt),
  );

async function withActive(db: DbOrTx, row: PractitionerRow): Promise<ScimPractitioner> {
  const [hit] = await db
    .select({ id: revokedCredentials.id })
    .from(revokedCredentials)
    .where(deactivated(row.subject))
    .limit(1);
  return { ...row, active: !hit };
}

export async function findPractitioner(db: DbOrTx, id: string): Promise<ScimPractitioner | null> {
  const [row] = await db.select().from(practitioners).where(eq(practitioners.id, id));
  return row ? withActive(db, row) : null;
}

export async function listPractitioners(
  db: DbOrTx,
  filter: { subject?: string },
  offset: number,
  limit: number,
): Promise<{ total: number; rows: ScimPractitioner[] }> {
  const where = filter.subject === undefined ? undefined : eq(practitioners.subject, filter.subject);
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(practitioners).where(where);
  const rows =
    limit === 0
      ? []
      : await db
          .select()
          .from(practitioners)
          .where(where)
          .orderBy(asc(practitioners.subject), asc(practitioners.id))
          .offset(offset)
          .limit(limit);
  return { total: Number(total), rows: await Promise.all(rows.map((r) => withActive(db, r))) };
}

export async function subjectTaken(db: DbOrTx, subject: string, exceptId: string | null): Promise<boolean> {
  const [row] = await db.select({ id: practitioners.id }).from(practitioners).where(eq(practitioners.subject, subject));
  return Boolean(row && row.id !== exceptId);
}

export async function organisationKind(db: DbOrTx, id: string): Promise<string | null> {
  const [row] = await db.select({ kind: organisations.kind }).from(organisations).where(eq(organisations.id, id));
  return row?.kind ?? null;
}

export async function insertPractitioner(db: DbOrTx, row: typeof practitioners.$inferInsert): Promise<PractitionerRow> {
  const [created] = await db.insert(practitioners).values(row).returning();
  return created!;
}

export async function updatePractitioner(
  db: DbOrTx,
  id: string,
  set: Partial<typeof practitioners.$inferInsert>,
): Promise<void> {
  await db.update(practitioners).set(set).where(eq(practitioners.id, id));
}

export async function deactivateSubject(
  db: DbOrTx,
  subject: string,
  at: Date,
  by: { subject: string; organisationId: string },
): Promise<void> {
  await db.insert(revokedCredentials).values({
    kind: 'subject',
    value: subject,
    issuer: null,
    reason: 'practitioner deactivated',
    revokedAt: at,
    revokedBySubject: by.subject,
    revokedByOrganisationId: by.organisationId,
  });
}

export async function reactivateSubject(db: DbOrTx, subject: string, at: Date): Promise<void> {
  await db.update(revokedCredentials).set({ restoredAt: at }).where(deactivated(subject));
}

/** Who holds a role: a Group's members. */
export async function roleHolders(db: DbOrTx, role: string): Promise<{ id: string; displayName: string }[]> {
  return db
    .select({ id: practitioners.id, displayName: practitioners.displayName })
    .from(practitioners)
    .where(sql`${role} = any(${practitioners.roles})`)
    .orderBy(asc(practitioners.subject), asc(practitioners.id));
}

/** Each practitioner's organisation kind, for the ids that name a practitioner. */
export async function practitionerKinds(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: practitioners.id, kind: organisations.kind })
    .from(practitioners)
    .innerJoin(organisations, eq(organisations.id, practitioners.organisationId))
    .where(inArray(practitioners.id, ids));
  return new Map(rows.map((r) => [r.id, r.kind]));
}

/**
 * Adds or removes one role in one statement, so two Groups changing one practitioner at once
 * cannot overwrite each other's change. True when the practitioner's roles changed.
 */
export async function addRole(tx: DbOrTx, id: string, role: string): Promise<boolean> {
  const rows = await tx
    .update(practitioners)
    .set({ roles: sql`array_append(${practitioners.roles}, ${role}::text)` })
    .where(and(eq(practitioners.id, id), sql`not (${role} = any(${practitioners.roles}))`))
    .returning({ id: practitioners.id });
  return rows.length > 0;
}

export async function removeRole(tx: DbOrTx, id: string, role: string): Promise<boolean> {
  const rows = await tx
    .update(practitioners)
    .set({ roles: sql`array_remove(${practitioners.roles}, ${role}::text)` })
    .where(and(eq(practitioners.id, id), sql`${role} = any(${practitioners.roles})`))
    .returning({ id: practitioners.id });
  return rows.length > 0;
}
