/** SQL for the revoked-credentials list (the only place that queries it). */
import { and, eq, isNull } from 'drizzle-orm';
import { revokedCredentials } from '../../schema';
import type { DbOrTx } from '../db';

export type RevocationKind = 'client' | 'subject';
export type RevocationRow = typeof revokedCredentials.$inferSelect;

export async function activeRevocations(db: DbOrTx): Promise<Pick<RevocationRow, 'kind' | 'value' | 'issuer'>[]> {
  return db
    .select({ kind: revokedCredentials.kind, value: revokedCredentials.value, issuer: revokedCredentials.issuer })
    .from(revokedCredentials)
    .where(isNull(revokedCredentials.restoredAt));
}

export async function insertRevocation(
  db: DbOrTx,
  row: typeof revokedCredentials.$inferInsert,
): Promise<RevocationRow> {
  const [created] = await db.insert(revokedCredentials).values(row).returning();
  return created!;
}

export async function restoreRevocations(db: DbOrTx, kind: RevocationKind, value: string, at: Date): Promise<number> {
  const rows = await db
    .update(revokedCredentials)
    .set({ restoredAt: at })
    .where(
      and(
        eq(revokedCredentials.kind, kind),
        eq(revokedCredentials.value, value),
        isNull(revokedCredentials.restoredAt),
      ),
    )
    .returning({ id: revokedCredentials.id });
  return rows.length;
}
