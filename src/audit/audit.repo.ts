/** SQL of the access audit: the chained batch insert. */
import { desc, sql } from 'drizzle-orm';
import { accessAudit } from '../../schema';
import type { Db } from '../db';
import { auditRowHash, GENESIS_HASH, type HashableAuditRow } from './audit-hash';

export type AuditRow = typeof accessAudit.$inferSelect;

/** Key of the transaction-level advisory lock that serialises appends to the one chain. */
const CHAIN_LOCK = 0x0a0d17;

/**
 * Appends rows to the chain in one transaction and one INSERT. The advisory lock orders
 * concurrent appenders (across instances too), so each batch links to the true last row.
 */
export async function appendAuditRows(db: Db, rows: HashableAuditRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
    const [last] = await tx.select({ hash: accessAudit.hash }).from(accessAudit).orderBy(desc(accessAudit.seq)).limit(1);
    let prevHash = last?.hash ?? GENESIS_HASH;
    const chained = rows.map((row) => {
      const hash = auditRowHash(prevHash, row);
      const linked = { ...row, prevHash, hash };
      prevHash = hash;
      return linked;
    });
    await tx.insert(accessAudit).values(chained);
  });
}
