/** SQL of the consent module: consent records, safeguarding overrides, and the household links a giver needs. */
import { and, desc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { children, consents, householdLinks, organisations, safeguardingOverrides } from '../../schema';
import type { DbOrTx } from '../db';

export type ConsentRow = typeof consents.$inferSelect;
export type NewConsentRow = typeof consents.$inferInsert;
export type OverrideRow = typeof safeguardingOverrides.$inferSelect;
export type NewOverrideRow = typeof safeguardingOverrides.$inferInsert;

export async function insertConsent(db: DbOrTx, row: NewConsentRow): Promise<ConsentRow> {
  const [created] = await db.insert(consents).values(row).returning();
  return created!;
}

export async function findConsent(db: DbOrTx, id: string): Promise<ConsentRow | null> {
  const [row] = await db.select().from(consents).where(eq(consents.id, id));
  return row ?? null;
}

/** Locks the consent row, so two withdrawals or confirmations cannot both succeed. */
export async function lockConsent(tx: DbOrTx, id: string): Promise<ConsentRow | null> {
  const [row] = await tx.select().from(consents).where(eq(consents.id, id)).for('update');
  return row ?? null;
}

export async function updateConsent(tx: DbOrTx, id: string, set: Partial<NewConsentRow>): Promise<ConsentRow> {
  const [row] = await tx.update(consents).set(set).where(eq(consents.id, id)).returning();
  return row!;
}

/** Every consent ever recorded for the child, newest first: withdrawn and expired ones are history, not deleted. */
export async function consentsOfChild(db: DbOrTx, childId: string): Promise<ConsentRow[]> {
  return db
    .select()
    .from(consents)
    .where(eq(consents.childId, childId))
    .orderBy(desc(consents.recordedAt), desc(consents.startsAt));
}

/**
 * Whether the family member may consent for the child: linked through the household as a carer,
 * or as a parent with parental responsibility.
 */
export async function mayConsentFor(db: DbOrTx, childId: string, familyMemberId: string): Promise<boolean> {
  const [row] = await db
    .select({ id: householdLinks.id })
    .from(householdLinks)
    .where(
      and(
        eq(householdLinks.childId, childId),
        eq(householdLinks.familyMemberId, familyMemberId),
        or(
          eq(householdLinks.relation, 'carer'),
          and(eq(householdLinks.relation, 'parent'), eq(householdLinks.hasParentalResponsibility, true)),
        ),
      ),
    )
    .limit(1);
  return Boolean(row);
}

/** The child's date of birth (null for an unborn baby, or a child the hub does not hold). */
export async function childDateOfBirth(db: DbOrTx, childId: string): Promise<string | null> {
  const [row] = await db.select({ dateOfBirth: children.dateOfBirth }).from(children).where(eq(children.id, childId));
  return row?.dateOfBirth ?? null;
}

export async function knownOrganisationIds(db: DbOrTx, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: organisations.id })
    .from(organisations)
    .where(inArray(organisations.id, [...ids]));
  return new Set(rows.map((r) => r.id));
}

/** The council's Early Help service: the first organisation of that kind, as the workflow takes it. */
export async function councilEarlyHelpOrganisationIds(db: DbOrTx): Promise<string[]> {
  const rows = await db
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.kind, 'council_early_help'))
    .orderBy(organisations.createdAt, organisations.id)
    .limit(1);
  return rows.map((r) => r.id);
}

export async function insertOverride(db: DbOrTx, row: NewOverrideRow): Promise<OverrideRow> {
  const [created] = await db.insert(safeguardingOverrides).values(row).returning();
  return created!;
}

export async function lockOverride(tx: DbOrTx, id: string): Promise<OverrideRow | null> {
  const [row] = await tx.select().from(safeguardingOverrides).where(eq(safeguardingOverrides.id, id)).for('update');
  return row ?? null;
}

export async function revokeOverride(tx: DbOrTx, id: string, at: Date): Promise<OverrideRow> {
  const [row] = await tx
    .update(safeguardingOverrides)
    .set({ revokedAt: at })
    .where(and(eq(safeguardingOverrides.id, id), isNull(safeguardingOverrides.revokedAt)))
    .returning();
  return row!;
}

/** Overrides of the child, newest first (for the consent history view). */
export async function overridesOfChild(db: DbOrTx, childId: string): Promise<OverrideRow[]> {
  return db
    .select()
    .from(safeguardingOverrides)
    .where(eq(safeguardingOverrides.childId, childId))
    .orderBy(desc(safeguardingOverrides.declaredAt), sql`${safeguardingOverrides.id}`);
}
