/** SQL for feed submissions (the idempotency ledger) and the review queue of held matches. */
import { and, asc, eq, isNotNull, notInArray, sql, type SQL } from 'drizzle-orm';
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
export async function claimSubmission(
  tx: DbOrTx,
  key: SubmissionKey,
  hash: string,
  subject: string,
  at: Date,
  inbox: unknown = null,
): Promise<SubmissionRow | null> {
  const [row] = await tx
    .insert(feedSubmissions)
    .values({ ...key, contentHash: hash, submittedBySubject: subject, receivedAt: at, inbox })
    .onConflictDoNothing()
    .returning();
  return row ?? null;
}

// Every feed record looks its key up: prepared (the unique key's index whatever the values).
const submissionByKey = preparedOn((db) =>
  db
    .select()
    .from(feedSubmissions)
    .where(
      and(
        eq(feedSubmissions.organisationId, sql.placeholder('organisationId')),
        eq(feedSubmissions.feed, sql.placeholder('feed')),
        eq(feedSubmissions.externalRef, sql.placeholder('externalRef')),
      ),
    )
    .prepare('feed_submission_by_key'),
);

export async function findSubmission(tx: DbOrTx, key: SubmissionKey): Promise<SubmissionRow | null> {
  const [row] = await submissionByKey(tx).execute({ ...key });
  return row ?? null;
}

export async function findSubmissionById(tx: DbOrTx, id: string): Promise<SubmissionRow | null> {
  const [row] = await tx.select().from(feedSubmissions).where(eq(feedSubmissions.id, id));
  return row ?? null;
}

export async function saveResponse(tx: DbOrTx, id: string, response: unknown, refused: boolean): Promise<void> {
  await tx.update(feedSubmissions).set({ response, refused }).where(eq(feedSubmissions.id, id));
}

/** Locks a submission to apply it again (a refused one, retried). */
export async function lockSubmission(tx: DbOrTx, id: string): Promise<SubmissionRow | null> {
  const [row] = await tx.select().from(feedSubmissions).where(eq(feedSubmissions.id, id)).for('update');
  return row ?? null;
}

/** A refused submission kept at last: its retries replay from now on. */
export async function settleSubmission(tx: DbOrTx, id: string): Promise<void> {
  await tx.update(feedSubmissions).set({ refused: false }).where(eq(feedSubmissions.id, id));
}

/** Submissions received and not yet applied or held, oldest first (the feed inbox). */
export async function inboxed(tx: DbOrTx, limit: number, skip: readonly string[]): Promise<string[]> {
  const rows = await tx
    .select({ id: feedSubmissions.id })
    .from(feedSubmissions)
    .where(and(isNotNull(feedSubmissions.inbox), skip.length ? notInArray(feedSubmissions.id, [...skip]) : undefined))
    .orderBy(asc(feedSubmissions.receivedAt), asc(feedSubmissions.id))
    .limit(limit);
  return rows.map((r) => r.id);
}

/**
 * Locks an inboxed submission to apply it, or null when it is done or another processor holds it
 * (skipped rather than waited for: that one applies it, and the row lock keeps it to one).
 */
export async function lockInboxed(tx: DbOrTx, id: string): Promise<SubmissionRow | null> {
  const [row] = await tx
    .select()
    .from(feedSubmissions)
    .where(and(eq(feedSubmissions.id, id), isNotNull(feedSubmissions.inbox)))
    .for('update', { skipLocked: true });
  return row ?? null;
}

/** Applied or held: out of the inbox, and its payload no longer kept twice. */
export async function clearInbox(tx: DbOrTx, id: string): Promise<void> {
  await tx.update(feedSubmissions).set({ inbox: null }).where(eq(feedSubmissions.id, id));
}

export async function insertPendingMatch(
  tx: DbOrTx,
  row: typeof pendingMatches.$inferInsert,
): Promise<PendingMatchRow> {
  const [created] = await tx.insert(pendingMatches).values(row).returning();
  return created!;
}

export async function listPendingMatches(
  tx: DbOrTx,
  where: SQL | undefined,
  limit: number,
): Promise<PendingMatchRow[]> {
  return tx
    .select()
    .from(pendingMatches)
    .where(where)
    .orderBy(asc(pendingMatches.createdAt), asc(pendingMatches.id))
    .limit(limit);
}

/** Locks the held match for resolution, so two reviewers cannot apply it twice. */
export async function lockPendingMatch(tx: DbOrTx, id: string): Promise<PendingMatchRow | null> {
  const [row] = await tx.select().from(pendingMatches).where(eq(pendingMatches.id, id)).for('update');
  return row ?? null;
}

export async function markResolved(
  tx: DbOrTx,
  id: string,
  childId: string,
  subject: string,
  at: Date,
): Promise<PendingMatchRow> {
  const [row] = await tx
    .update(pendingMatches)
    .set({ status: 'resolved', resolvedChildId: childId, resolvedBySubject: subject, resolvedAt: at })
    .where(eq(pendingMatches.id, id))
    .returning();
  return row!;
}

export const pendingStatusIs = (status: string): SQL => eq(pendingMatches.status, status);
