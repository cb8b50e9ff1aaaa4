/** SQL of the DPO's review of safeguarding overrides. */
import { and, asc, eq, sql } from 'drizzle-orm';
import { safeguardingOverrides, type OverrideReview } from '../../schema';
import type { DbOrTx } from '../db';

export type OverrideRow = typeof safeguardingOverrides.$inferSelect;

/** Overrides awaiting review, oldest declaration first, after a (declaredAt, id) keyset. */
export async function pendingOverrides(
  db: DbOrTx,
  after: { declaredAt: Date; id: string } | null,
  limit: number,
): Promise<OverrideRow[]> {
  return db
    .select()
    .from(safeguardingOverrides)
    .where(
      and(
        eq(safeguardingOverrides.reviewStatus, 'pending'),
        after
          ? sql`(${safeguardingOverrides.declaredAt}, ${safeguardingOverrides.id}) > (${after.declaredAt.toISOString()}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(asc(safeguardingOverrides.declaredAt), asc(safeguardingOverrides.id))
    .limit(limit);
}

/** Records the review only while the override is still pending; null when it was not (or is unknown). */
export async function markReviewed(
  db: DbOrTx,
  id: string,
  review: { status: Exclude<OverrideReview, 'pending'>; subject: string; at: Date; note: string },
): Promise<OverrideRow | null> {
  const [row] = await db
    .update(safeguardingOverrides)
    .set({
      reviewStatus: review.status,
      reviewedBySubject: review.subject,
      reviewedAt: review.at,
      reviewNote: review.note,
    })
    .where(and(eq(safeguardingOverrides.id, id), eq(safeguardingOverrides.reviewStatus, 'pending')))
    .returning();
  return row ?? null;
}

export async function findOverride(db: DbOrTx, id: string): Promise<OverrideRow | null> {
  const [row] = await db.select().from(safeguardingOverrides).where(eq(safeguardingOverrides.id, id));
  return row ?? null;
}
