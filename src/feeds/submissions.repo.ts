/** SQL for feed submissions (the idempotency ledger) and the review queue of held matches. */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { feedSubmissions, pendingMatches } from '../../schema';
import type { DbOrTx } from '../db';
import { preparedOn } from '../db/prepared';

export type SubmissionRow = typeof feedSubmissions.$inferSelect;
export type PendingMatchRow = typeof pendingMatches.$inferSelect;

export interface SubmissionKey {
  organisationId: string;
  feed: string;
  externalRef: string;
}

/**
 * Inserts the submission unless its key exists. Returns the new row, or null when another
 * submission holds the key (a concurrent one waits on the unique index until the first commits).
 */
export async function claimSubmission(tx: DbOrTx, key: SubmissionKey, hash: string, subject: string, at: Date): Promise<SubmissionRow | null> {
  const [row] = await tx.insert(feedSubmissions)
    .values({ ...key, contentHash: hash, submittedBySubject: subject, receivedAt: at })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

// Every feed record looks its key up: prepared (the unique key's index whatever the values).
const submissionByKey = preparedOn((db) => db.select().from(feedSubmissions).where(and(
  eq(feedSubmissions.organisationId, sql.placeholder('organisationId')),
  eq(feedSubmissions.feed, sql.placeholder('feed')),
  eq(feedSubmissions.externalRef, sql.placeholder('externalRef')),
)).prepare('feed_submission_by_key'));

export async function findSubmission(tx: DbOrTx, key: SubmissionKey): Promise<SubmissionRow | null> {
  const [row] = await submissionByKey(tx).execute({ ...key });
  return row ?? null;
}

export async function findSubmissionById(tx: DbOrTx, id: string): Promise<SubmissionRow | null> {
  const [row] = await tx.select().from(feedSubmissions).where(eq(feedSubmissions.id, id));
  return row ?? null;
}

export async function saveResponse(tx: DbOrTx, id: string, response: unknown): Promise<void> {
  await tx.update(feedSubmissions).set({ response }).where(eq(feedSubmissions.id, id));
}

export async function insertPendingMatch(tx: DbOrTx, row: typeof pendingMatches.$inferInsert): Promise<PendingMatchRow> {
  const [created] = await tx.insert(pendingMatches).values(row).returning();
  return created!;
}

export async function listPendingMatches(tx: DbOrTx, where: SQL | undefined, limit: number): Promise<PendingMatchRow[]> {
  return tx.select().from(pendingMatches).where(where).orderBy(asc(pendingMatches.createdAt), asc(pendingMatches.id)).limit(limit);
}

/** Locks the held match for resolution, so two reviewers cannot apply it twice. */
export async function lockPendingMatch(tx: DbOrTx, id: string): Promise<PendingMatchRow | null> {
  const [row] = await tx.select().from(pendingMatches).where(eq(pendingMatches.id, id)).for('update');
  return row ?? null;
}

export async function markResolved(tx: DbOrTx, id: string, childId: string, subject: string, at: Date): Promise<PendingMatchRow> {
  const [row] = await tx.update(pendingMatches)
    .set({ status: 'resolved', resolvedChildId: childId, resolvedBySubject: subject, resolvedAt: at })
    .where(eq(pendingMatches.id, id)).returning();
  return row!;
}

export const pendingStatusIs = (status: string): SQL => eq(pendingMatches.status, status);
