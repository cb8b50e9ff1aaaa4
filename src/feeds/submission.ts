/**
 * Runs one partner submission exactly once. In one transaction: claim the (organisation, feed,
 * partner key) slot with the payload's canonical hash, apply it, store the response. A retry with
 * the same content gets the stored response and changes nothing; different content under the
 * same key is a CONFLICT. Audit entries are handed back only after the commit, so a rolled-back
 * submission is never reported as a change.
 *
 * A submission the apply step refused (marked `refused`: answered, nothing kept) is not settled by
 * its first answer: a retry with the same content is applied again under the same id and answered
 * with the stored receipt, so a partner that retries once the reason is gone (consent recorded)
 * is not swallowed by its own idempotency key, and the answer stays the same whatever happened.
 */
import type { Caller } from '../auth/caller';
import type { AuditCollector } from '../audit/audit-collector';
import type { Db, Tx } from '../db';
import { ConflictError } from '../errors';
import { contentHash } from './content-hash';
import {
  claimSubmission,
  findSubmission,
  lockSubmission,
  saveResponse,
  settleSubmission,
  type SubmissionKey,
} from './submissions.repo';

export type FeedName = 'health' | 'school' | 'police' | 'vcs' | 'roll' | 'caseload' | 'missing';

/** A change to report to the request's audit collector once the transaction has committed. */
export interface AuditChange {
  childId: string;
  action: string;
  fields: string[];
}

/** What an apply step gets: the transaction, who acts, when, and where to note audit changes. */
export interface FeedWork {
  tx: Tx;
  caller: Caller;
  at: Date;
  changes: AuditChange[];
  /** Set by an apply step that answered without keeping anything: a retry is evaluated again. */
  refused?: boolean;
}

export interface SubmissionOptions<R> {
  db: Db;
  key: SubmissionKey;
  /** Canonical, normalised payload: its hash decides replay versus conflict. */
  payload: unknown;
  caller: Caller;
  at: Date;
  audit: AuditCollector;
  /** Which item of a batch, named in a CONFLICT. */
  field?: string;
  /** Kept with a new submission for the feed inbox to apply after the receipt (feed-inbox.ts). */
  inbox?: unknown;
  apply(work: FeedWork, submissionId: string): Promise<R>;
}

export async function runOnce<R>(options: SubmissionOptions<R>): Promise<{ response: R; replayed: boolean }> {
  const changes: AuditChange[] = [];
  return options.db.transaction(async (tx) => {
    const result = await runOnceIn(tx, options, changes);
    await options.audit.changedIn(tx, changes);
    return result;
  });
}

/** The same, inside a caller's transaction (batches: one transaction for every pupil). */
export async function runOnceIn<R>(
  tx: Tx,
  options: Omit<SubmissionOptions<R>, 'db' | 'audit'>,
  changes: AuditChange[],
): Promise<{ response: R; replayed: boolean }> {
  const hash = contentHash(options.payload);
  const claimed = await claimSubmission(
    tx,
    options.key,
    hash,
    options.caller.subject,
    options.at,
    options.inbox ?? null,
  );
  if (!claimed) {
    const existing = await findSubmission(tx, options.key);
    if (existing && existing.contentHash === hash && existing.response !== null) {
      if (existing.refused) await reapply(tx, options, existing.id, changes);
      return { response: existing.response as R, replayed: true };
    }
    throw new ConflictError('A different submission was already accepted under this reference', {
      ...(options.field ? { field: options.field } : {}),
      feed: options.key.feed,
    });
  }
  const work: FeedWork = { tx, caller: options.caller, at: options.at, changes };
  const response = await options.apply(work, claimed.id);
  await saveResponse(tx, claimed.id, response, work.refused === true);
  return { response, replayed: false };
}

/**
 * Applies a refused submission again, under its id. Locked, so two concurrent retries cannot both
 * keep it; the stored receipt is what either answers (the id is the same, and so are the bytes).
 */
async function reapply<R>(
  tx: Tx,
  options: Omit<SubmissionOptions<R>, 'db' | 'audit'>,
  id: string,
  changes: AuditChange[],
): Promise<void> {
  const locked = await lockSubmission(tx, id);
  if (!locked?.refused) return;
  const work: FeedWork = { tx, caller: options.caller, at: options.at, changes };
  await options.apply(work, id);
  if (!work.refused) await settleSubmission(tx, id);
}
