/** SQL of referrals and the family members a referral names. */
import { and, asc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { familyMembers, householdLinks, referrals, type HouseholdRelation } from '../../schema';
import type { DbOrTx } from '../db';

export type ReferralRow = typeof referrals.$inferSelect;
export type NewReferralRow = typeof referrals.$inferInsert;

export async function insertReferral(tx: DbOrTx, row: NewReferralRow): Promise<ReferralRow> {
  const [created] = await tx.insert(referrals).values(row).returning();
  return created!;
}

export async function findReferral(db: DbOrTx, id: string): Promise<ReferralRow | null> {
  const [row] = await db.select().from(referrals).where(eq(referrals.id, id));
  return row ?? null;
}

/** The row, locked for the rest of the transaction (concurrent screenings queue behind it). */
export async function lockReferral(tx: DbOrTx, id: string): Promise<ReferralRow | null> {
  const [row] = await tx.select().from(referrals).where(eq(referrals.id, id)).for('update');
  return row ?? null;
}

export async function updateReferral(
  tx: DbOrTx,
  id: string,
  version: number,
  set: Partial<NewReferralRow>,
): Promise<ReferralRow | null> {
  const [row] = await tx
    .update(referrals)
    .set({ ...set, version: sql`${referrals.version} + 1` })
    .where(and(eq(referrals.id, id), eq(referrals.version, version)))
    .returning();
  return row ?? null;
}

export async function listReferralsWhere(db: DbOrTx, where: SQL): Promise<ReferralRow[]> {
  return db.select().from(referrals).where(where).orderBy(asc(referrals.referralDate), asc(referrals.id)).limit(200);
}

/** Family member ids already linked to the child as parent or carer. */
export async function linkedFamilyMemberIds(db: DbOrTx, childId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: householdLinks.familyMemberId })
    .from(householdLinks)
    .where(and(eq(householdLinks.childId, childId), inArray(householdLinks.familyMemberId, ids)));
  return new Set(rows.map((r) => r.id!).filter(Boolean));
}

export async function addFamilyMember(
  tx: DbOrTx,
  childId: string,
  member: {
    givenName: string;
    familyName: string;
    dateOfBirth: string | null;
    relation: Exclude<HouseholdRelation, 'sibling'>;
    hasParentalResponsibility: boolean;
  },
): Promise<string> {
  const [row] = await tx
    .insert(familyMembers)
    .values({ givenName: member.givenName, familyName: member.familyName, dateOfBirth: member.dateOfBirth })
    .returning({ id: familyMembers.id });
  await tx.insert(householdLinks).values({
    childId,
    relation: member.relation,
    familyMemberId: row!.id,
    hasParentalResponsibility: member.hasParentalResponsibility,
  });
  return row!.id;
}
