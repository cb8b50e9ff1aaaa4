/** SQL of MASP referrals of cases open only to social care. */
import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { socialCareMaspReferrals } from '../../schema';
import type { DbOrTx } from '../db';

export type SocialCareMaspRow = typeof socialCareMaspReferrals.$inferSelect;

export async function insertMaspReferral(
  tx: DbOrTx,
  row: typeof socialCareMaspReferrals.$inferInsert,
): Promise<SocialCareMaspRow> {
  const [created] = await tx.insert(socialCareMaspReferrals).values(row).returning();
  return created!;
}

export async function findMaspReferral(db: DbOrTx, id: string): Promise<SocialCareMaspRow | null> {
  const [row] = await db.select().from(socialCareMaspReferrals).where(eq(socialCareMaspReferrals.id, id));
  return row ?? null;
}

export async function openMaspReferralOf(db: DbOrTx, childId: string): Promise<SocialCareMaspRow | null> {
  const [row] = await db
    .select()
    .from(socialCareMaspReferrals)
    .where(and(eq(socialCareMaspReferrals.childId, childId), isNull(socialCareMaspReferrals.outcome)));
  return row ?? null;
}

/** The panel's step down to Early Help that no step down has carried out yet. */
export async function stepDownDueOf(db: DbOrTx, childId: string): Promise<SocialCareMaspRow | null> {
  const [row] = await db
    .select()
    .from(socialCareMaspReferrals)
    .where(and(eq(socialCareMaspReferrals.childId, childId), STEP_DOWN_DUE))
    .for('update');
  return row ?? null;
}

export const STEP_DOWN_DUE = and(
  eq(socialCareMaspReferrals.outcome, 'stepped_down_early_help'),
  isNull(socialCareMaspReferrals.steppedDownEhaId),
)!;

export async function recordStepDown(tx: DbOrTx, id: string, ehaId: string): Promise<void> {
  await tx
    .update(socialCareMaspReferrals)
    .set({ steppedDownEhaId: ehaId, version: sql`${socialCareMaspReferrals.version} + 1` })
    .where(eq(socialCareMaspReferrals.id, id));
}

export async function decide(
  tx: DbOrTx,
  id: string,
  version: number,
  set: { outcome: string; outcomeRationale: string; decidedOn: string },
): Promise<SocialCareMaspRow | null> {
  const [row] = await tx
    .update(socialCareMaspReferrals)
    .set({ ...set, version: sql`${socialCareMaspReferrals.version} + 1` })
    .where(
      and(
        eq(socialCareMaspReferrals.id, id),
        eq(socialCareMaspReferrals.version, version),
        isNull(socialCareMaspReferrals.outcome),
      ),
    )
    .returning();
  return row ?? null;
}

export async function listWhere(db: DbOrTx, where: SQL): Promise<SocialCareMaspRow[]> {
  return db
    .select()
    .from(socialCareMaspReferrals)
    .where(where)
    .orderBy(asc(socialCareMaspReferrals.referredOn), asc(socialCareMaspReferrals.id))
    .limit(200);
}
