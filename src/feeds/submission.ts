/**
 * Runs one partner submission exactly once. In one transaction: claim the (organisation, feed,
 * partner key) slot with the payload's canonical hash, apply it, store the response. A retry with
 * the same content gets the stored response and changes nothing; different content under the
 * same key is a CONFLICT. Audit entries are handed back only after the commit, so a rolled-back
 * submission is never reported as a change.
 */
import type { Caller } from '../auth/caller';
import type { AuditCollector } from '../audit/audit-collector';
import type { Db, Tx } from '../db';
import { ConflictError } from '../errors';
import { contentHash } from './content-hash';
import { claimSubmission, findSubmission, saveResponse, type SubmissionKey } from './submissions.repo';

export type FeedName = 'health' | 'school' | 'police' | 'vcs';

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
  apply(work: FeedWork, submissionId: string): Promise<R>;
}

export async function runOnce<R>(options: SubmissionOptions<R>): Promise<{ response: R; replayed: boolean }> {
  const changes: AuditChange[] = [];
  const result = await options.db.transaction(async (tx) => runOnceIn(tx, options, changes));
  for (const c of changes) options.audit.changed(c.childId, c.action, c.fields);
  return result;
}

/** The same, inside a caller's transaction (batches: one transaction for every pupil). */
export async function runOnceIn<R>(tx: Tx, options: Omit<SubmissionOptions<R>, 'db' | 'audit'>, changes: AuditChange[]): Promise<{ response: R; replayed: boolean }> {
  const hash = contentHash(options.payload);
  const claimed = await claimSubmission(tx, options.key, hash, options.caller.subject, options.at);
  if (!claimed) {
    const existing = await findSubmission(tx, options.key);
    if (existing && existing.contentHash === hash && existing.response !== null) {
      return { response: existing.response as R, replayed: true };
    }
    throw new ConflictError('A different submission was already accepted under this reference', {
      ...(options.field ? { field: options.field } : {}), feed: options.key.feed,
    });
  }
  const response = await options.apply({ tx, caller: options.caller, at: options.at, changes }, claimed.id);
  await saveResponse(tx, claimed.id, response);
  return { response, replayed: false };
}
