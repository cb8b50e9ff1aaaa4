/** SQL of the administrators' change record (the only place that writes or reads it). */
import { and, asc, eq } from 'drizzle-orm';
import { adminChanges } from '../../schema';
import type { DbOrTx, Tx } from '../db';

export type AdminChangeRow = typeof adminChanges.$inferSelect;

export async function insertAdminChange(tx: Tx, row: typeof adminChanges.$inferInsert): Promise<void> {
  await tx.insert(adminChanges).values(row);
}

export async function adminChangesOf(db: DbOrTx, entity: string, entityId: string): Promise<AdminChangeRow[]> {
  return db
    .select()
    .from(adminChanges)
    .where(and(eq(adminChanges.entity, entity), eq(adminChanges.entityId, entityId)))
    .orderBy(asc(adminChanges.occurredAt), asc(adminChanges.id));
}
