/** SQL of the health feed: level history per child. */
import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { healthUpdates } from '../../schema';
import type { DbOrTx } from '../db';
import { preparedOn } from '../db/prepared';

export type HealthUpdateRow = typeof healthUpdates.$inferSelect;

// Read twice by every health update: prepared (one round trip; a child's few rows by its index whatever the plan).
const levelOfChild = preparedOn((db) => db.select({ level: healthUpdates.level }).from(healthUpdates)
  .where(eq(healthUpdates.childId, sql.placeholder('childId')))
  .orderBy(desc(healthUpdates.effectiveDate), desc(healthUpdates.receivedAt)).limit(1).prepare('health_level_of_child'));

/** The level in force: latest effective date, then latest received. */
export async function currentLevel(tx: DbOrTx, childId: string): Promise<string | null> {
  const [row] = await levelOfChild(tx).execute({ childId });
  return row?.level ?? null;
}

export async function insertHealthUpdate(tx: DbOrTx, row: typeof healthUpdates.$inferInsert): Promise<HealthUpdateRow> {
  const [created] = await tx.insert(healthUpdates).values(row).returning();
  return created!;
}

/** Every child's history, oldest first (for a per-request loader). */
export async function historiesOf(tx: DbOrTx, childIds: readonly string[]): Promise<HealthUpdateRow[]> {
  if (childIds.length === 0) return [];
  return tx.select().from(healthUpdates).where(inArray(healthUpdates.childId, [...childIds]))
    .orderBy(asc(healthUpdates.effectiveDate), asc(healthUpdates.receivedAt));
}
