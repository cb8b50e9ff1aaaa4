/** SQL of the audit's Merkle log: the queue of rows to integrate, the leaves, checkpoints. */
import { and, asc, eq, gt, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import { accessAudit, auditLogCheckpoints, auditLogLeaves, auditLogPending, auditLogRejected } from '../../schema';
import { rowsOf, type DbOrTx, type Tx } from '../db';
import type { AuditRow } from './audit.repo';

/** Key of the transaction-level advisory lock one checkpointer at a time holds, across instances. */
const CHECKPOINTER_LOCK = 0x0a0d18;

export async function tryCheckpointerLock(tx: Tx): Promise<boolean> {
  const [row] = rowsOf<{ locked: boolean }>(
    await tx.execute(sql`select pg_try_advisory_xact_lock(${CHECKPOINTER_LOCK}) as locked`),
  );
  return Boolean(row?.locked);
}

/** Queued seqs in seq order, and whether each is already logged. */
export async function pendingSeqs(tx: Tx, limit: number): Promise<{ seq: number; logged: boolean }[]> {
  const rows = await tx
    .select({ seq: auditLogPending.seq, logged: auditLogLeaves.leafIndex })
    .from(auditLogPending)
    .leftJoin(auditLogLeaves, eq(auditLogLeaves.auditSeq, auditLogPending.seq))
    .orderBy(asc(auditLogPending.seq))
    .limit(limit);
  return rows.map((r) => ({ seq: Number(r.seq), logged: r.logged !== null }));
}

/** The stored rows of these seqs (those that exist), by seq. */
export async function auditRowsBySeq(tx: Tx, seqs: number[]): Promise<Map<number, AuditRow>> {
  if (seqs.length === 0) return new Map();
  const rows = await tx.select().from(accessAudit).where(inArray(accessAudit.seq, seqs));
  return new Map(rows.map((r) => [Number(r.seq), r]));
}

export async function leafCount(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: sql<string | null>`max(${auditLogLeaves.leafIndex}) + 1` }).from(auditLogLeaves);
  return Number(row?.n ?? 0);
}

export async function insertLeaves(
  tx: Tx,
  leaves: { leafIndex: number; auditSeq: number; leafHash: string }[],
): Promise<void> {
  if (leaves.length) await tx.insert(auditLogLeaves).values(leaves);
}

export async function insertRejected(tx: Tx, rows: { seq: number; reason: string; rejectedAt: Date }[]): Promise<void> {
  if (rows.length) await tx.insert(auditLogRejected).values(rows).onConflictDoNothing();
}

export async function dequeue(tx: Tx, seqs: number[]): Promise<void> {
  if (seqs.length) await tx.delete(auditLogPending).where(inArray(auditLogPending.seq, seqs));
}

/** Leaf hashes with index in [from, to), in order. */
export async function leafHashes(db: DbOrTx, from: number, to: number): Promise<string[]> {
  const rows = await db
    .select({ h: auditLogLeaves.leafHash })
    .from(auditLogLeaves)
    .where(and(gte(auditLogLeaves.leafIndex, from), lt(auditLogLeaves.leafIndex, to)))
    .orderBy(asc(auditLogLeaves.leafIndex));
  return rows.map((r) => r.h);
}

export async function leafOfSeq(db: DbOrTx, seq: number): Promise<{ leafIndex: number; leafHash: string } | null> {
  const [row] = await db
    .select({ leafIndex: auditLogLeaves.leafIndex, leafHash: auditLogLeaves.leafHash })
    .from(auditLogLeaves)
    .where(eq(auditLogLeaves.auditSeq, seq));
  return row ? { leafIndex: Number(row.leafIndex), leafHash: row.leafHash } : null;
}

/** Log entries with index in [from, to): each leaf with its audit row (null when the row is gone). */
export async function entries(
  db: DbOrTx,
  from: number,
  to: number,
): Promise<{ leafIndex: number; auditSeq: number; leafHash: string; row: AuditRow | null }[]> {
  const rows = await db
    .select({
      leafIndex: auditLogLeaves.leafIndex,
      auditSeq: auditLogLeaves.auditSeq,
      leafHash: auditLogLeaves.leafHash,
      row: accessAudit,
    })
    .from(auditLogLeaves)
    .leftJoin(accessAudit, eq(accessAudit.seq, auditLogLeaves.auditSeq))
    .where(and(gte(auditLogLeaves.leafIndex, from), lt(auditLogLeaves.leafIndex, to)))
    .orderBy(asc(auditLogLeaves.leafIndex));
  return rows.map((r) => ({
    leafIndex: Number(r.leafIndex),
    auditSeq: Number(r.auditSeq),
    leafHash: r.leafHash,
    row: r.row,
  }));
}

export async function insertCheckpoint(
  db: DbOrTx,
  c: { treeSize: number; rootHash: string; note: string; signedAt: Date },
): Promise<void> {
  await db.insert(auditLogCheckpoints).values(c).onConflictDoNothing();
}

/** A log entry whose audit row no longer exists, if any. */
export async function leafWithoutRow(db: DbOrTx): Promise<{ leafIndex: number; auditSeq: number } | null> {
  const [row] = await db
    .select({ leafIndex: auditLogLeaves.leafIndex, auditSeq: auditLogLeaves.auditSeq })
    .from(auditLogLeaves)
    .leftJoin(accessAudit, eq(accessAudit.seq, auditLogLeaves.auditSeq))
    .where(isNull(accessAudit.seq))
    .orderBy(asc(auditLogLeaves.leafIndex))
    .limit(1);
  return row ? { leafIndex: Number(row.leafIndex), auditSeq: Number(row.auditSeq) } : null;
}

/** Rows written in [from, to) after a seq, each with its leaf hash, refusal reason and whether still queued. */
export async function rowsWithLeaves(
  db: DbOrTx,
  from: Date,
  to: Date,
  afterSeq: number,
  limit: number,
): Promise<{ row: AuditRow; leafHash: string | null; rejected: string | null; pending: boolean }[]> {
  const rows = await db
    .select({
      row: accessAudit,
      leafHash: auditLogLeaves.leafHash,
      rejected: auditLogRejected.reason,
      pending: auditLogPending.seq,
    })
    .from(accessAudit)
    .leftJoin(auditLogLeaves, eq(auditLogLeaves.auditSeq, accessAudit.seq))
    .leftJoin(auditLogRejected, eq(auditLogRejected.seq, accessAudit.seq))
    .leftJoin(auditLogPending, eq(auditLogPending.seq, accessAudit.seq))
    .where(and(gte(accessAudit.occurredAt, from), lt(accessAudit.occurredAt, to), gt(accessAudit.seq, afterSeq)))
    .orderBy(asc(accessAudit.seq))
    .limit(limit);
  return rows.map((r) => ({ row: r.row, leafHash: r.leafHash, rejected: r.rejected, pending: r.pending !== null }));
}
