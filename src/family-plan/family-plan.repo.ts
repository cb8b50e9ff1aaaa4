/** SQL of the family plan view and the voice of the child. */
import { asc, count, desc, eq } from 'drizzle-orm';
import { ehaReviews, familyPlans, voiceOfChild } from '../../schema';
import type { DbOrTx } from '../db';

export type FamilyPlanRow = typeof familyPlans.$inferSelect;
export type VoiceRow = typeof voiceOfChild.$inferSelect;

export async function currentPlan(db: DbOrTx, ehaId: string): Promise<FamilyPlanRow | null> {
  const [row] = await db
    .select()
    .from(familyPlans)
    .where(eq(familyPlans.ehaId, ehaId))
    .orderBy(desc(familyPlans.revision))
    .limit(1);
  return row ?? null;
}

export async function insertPlan(tx: DbOrTx, row: typeof familyPlans.$inferInsert): Promise<FamilyPlanRow> {
  const [created] = await tx.insert(familyPlans).values(row).returning();
  return created!;
}

export async function voicesOf(db: DbOrTx, ehaId: string): Promise<VoiceRow[]> {
  return db
    .select()
    .from(voiceOfChild)
    .where(eq(voiceOfChild.ehaId, ehaId))
    .orderBy(asc(voiceOfChild.recordedOn), asc(voiceOfChild.recordedAt));
}

export async function insertVoice(tx: DbOrTx, row: typeof voiceOfChild.$inferInsert): Promise<VoiceRow> {
  const [created] = await tx.insert(voiceOfChild).values(row).returning();
  return created!;
}

export async function reviewCount(db: DbOrTx, ehaId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(ehaReviews).where(eq(ehaReviews.ehaId, ehaId));
  return Number(row?.n ?? 0);
}
