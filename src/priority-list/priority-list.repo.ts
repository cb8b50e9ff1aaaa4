/** SQL of the Priority Children's List. */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { priorityListEntries } from '../../schema';
import type { DbOrTx } from '../db';

export type PriorityEntryRow = typeof priorityListEntries.$inferSelect;

export async function insertEntry(tx: DbOrTx, row: typeof priorityListEntries.$inferInsert): Promise<PriorityEntryRow> {
  const [created] = await tx.insert(priorityListEntries).values(row).returning();
  return created!;
}

export async function findEntry(db: DbOrTx, id: string): Promise<PriorityEntryRow | null> {
  const [row] = await db.select().from(priorityListEntries).where(eq(priorityListEntries.id, id));
  return row ?? null;
}

export async function updateEntry(
  tx: DbOrTx,
  id: string,
  version: number,
  set: Partial<typeof priorityListEntries.$inferInsert>,
): Promise<PriorityEntryRow | null> {
  const [row] = await tx
    .update(priorityListEntries)
    .set({ ...set, version: sql`${priorityListEntries.version} + 1` })
    .where(
      and(
        eq(priorityListEntries.id, id),
        eq(priorityListEntries.version, version),
        eq(priorityListEntries.status, 'listed'),
      ),
    )
    .returning();
  return row ?? null;
}

export async function listOfCluster(
  db: DbOrTx,
  cluster: string,
  status: string | null,
  where: SQL,
): Promise<PriorityEntryRow[]> {
  return db
    .select()
    .from(priorityListEntries)
    .where(
      and(eq(priorityListEntries.cluster, cluster), status ? eq(priorityListEntries.status, status) : undefined, where),
    )
    .orderBy(asc(priorityListEntries.addedOn), asc(priorityListEntries.id))
    .limit(500);
}
