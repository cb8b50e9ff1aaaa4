/** SQL of the health feed: level history per child. */
import { asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { healthUpdates } from '../../schema';
import type { DbOrTx } from '../db';
import { preparedOn } from '../db/prepared';

export type HealthUpdateRow = typeof healthUpdates.$inferSelect;

export type UpdateInForce = Pick<HealthUpdateRow, 'level' | 'effectiveDate' | 'receivedAt'>;

// Read by every health update: prepared (one round trip; a child's few rows by its index whatever the plan).
const inForceOfChild = preparedOn((db) =>
  db
    .select({
      level: healthUpdates.level,
      effectiveDate: healthUpdates.effectiveDate,
      receivedAt: healthUpdates.receivedAt,
    })
    .from(healthUpdates)
    .where(eq(healthUpdates.childId, sql.placeholder('childId')))
    .orderBy(desc(healthUpdates.effectiveDate), desc(healthUpdates.receivedAt))
    .limit(1)
    .prepare('health_in_force_of_child'),
);

/** The update whose level is in force: latest effective date, then latest received (as `laterInForce`). */
export async function updateInForce(tx: DbOrTx, childId: string): Promise<UpdateInForce | null> {
  const [row] = await inForceOfChild(tx).execute({ childId });
  return row ?? null;
}

/**
 * Which of two updates is in force, by the same order as `updateInForce`: a backdated update goes
 * into the history without displacing a later one. Lets a writer know the level after its own
 * insert without reading it back.
 */
export function laterInForce<T extends UpdateInForce>(a: T, b: T | null): T {
  if (!b) return a;
  if (a.effectiveDate !== b.effectiveDate) return a.effectiveDate > b.effectiveDate ? a : b;
  return a.receivedAt.getTime() >= b.receivedAt.getTime() ? a : b;
}

export async function insertHealthUpdate(tx: DbOrTx, row: typeof healthUpdates.$inferInsert): Promise<HealthUpdateRow> {
  const [created] = await tx.insert(healthUpdates).values(row).returning();
  return created!;
}

/** Every child's history, oldest first (for a per-request loader). */
export async function historiesOf(tx: DbOrTx, childIds: readonly string[]): Promise<HealthUpdateRow[]> {
  if (childIds.length === 0) return [];
  return tx
    .select()
    .from(healthUpdates)
    .where(inArray(healthUpdates.childId, [...childIds]))
    .orderBy(asc(healthUpdates.effectiveDate), asc(healthUpdates.receivedAt));
}
