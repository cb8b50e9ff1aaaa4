/** SQL of Rickter assessments and headline outcomes. */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { ehas, headlineOutcomes, rickterAssessments } from '../../schema';
import type { DbOrTx } from '../db';

export type AssessmentRow = typeof rickterAssessments.$inferSelect;
export type HeadlineRow = typeof headlineOutcomes.$inferSelect;

export async function insertAssessment(
  tx: DbOrTx,
  row: typeof rickterAssessments.$inferInsert,
): Promise<AssessmentRow> {
  const [created] = await tx.insert(rickterAssessments).values(row).returning();
  return created!;
}

export async function assessmentsOf(db: DbOrTx, ehaId: string): Promise<AssessmentRow[]> {
  return db
    .select()
    .from(rickterAssessments)
    .where(eq(rickterAssessments.ehaId, ehaId))
    .orderBy(asc(rickterAssessments.assessedOn), asc(rickterAssessments.recordedAt));
}

export async function headlinesOf(db: DbOrTx, ehaId: string): Promise<HeadlineRow[]> {
  return db
    .select()
    .from(headlineOutcomes)
    .where(eq(headlineOutcomes.ehaId, ehaId))
    .orderBy(asc(headlineOutcomes.outcome));
}

export async function insertHeadlines(tx: DbOrTx, rows: (typeof headlineOutcomes.$inferInsert)[]): Promise<void> {
  if (rows.length) await tx.insert(headlineOutcomes).values(rows);
}

export async function updateHeadline(
  tx: DbOrTx,
  ehaId: string,
  outcome: string,
  set: Partial<typeof headlineOutcomes.$inferInsert>,
): Promise<HeadlineRow | null> {
  const [row] = await tx
    .update(headlineOutcomes)
    .set(set)
    .where(and(eq(headlineOutcomes.ehaId, ehaId), eq(headlineOutcomes.outcome, outcome)))
    .returning();
  return row ?? null;
}

/** Every assessment of EHAs in the given clusters (all clusters when none given), with the EHA's cluster. */
export async function assessmentsWithCluster(
  db: DbOrTx,
  clusters?: string[],
): Promise<(AssessmentRow & { cluster: string })[]> {
  const rows = await db
    .select({ a: rickterAssessments, cluster: ehas.cluster })
    .from(rickterAssessments)
    .innerJoin(ehas, eq(ehas.id, rickterAssessments.ehaId))
    .where(clusters?.length ? inArray(ehas.cluster, clusters) : undefined)
    .orderBy(asc(rickterAssessments.ehaId), asc(rickterAssessments.assessedOn));
  return rows.map((r) => ({ ...r.a, cluster: r.cluster }));
}
