/**
 * Holding a valid submission whose child cannot be matched with certainty. The submitter is told
 * HELD_FOR_REVIEW with a reference (the held match's id); nothing about which records exist.
 */
import type { HoldReason } from './child-matcher';
import type { FeedName, FeedWork } from './submission';
import { insertPendingMatch } from './submissions.repo';

export type FeedStatus = 'APPLIED' | 'HELD_FOR_REVIEW';

/** What every feed answers per child; stored and replayed verbatim on a retry. */
export interface FeedReceipt {
  status: FeedStatus;
  childId: string | null;
  /** The hub row created (health update, attendance record, notification, contact). */
  recordId: string | null;
  /** Reference of the held submission, to quote when asking about it. */
  reference: string | null;
}

export async function holdForReview(work: FeedWork, hold: { submissionId: string; feed: FeedName; reason: HoldReason; candidates: string[]; payload: unknown }): Promise<FeedReceipt> {
  const row = await insertPendingMatch(work.tx, {
    submissionId: hold.submissionId, feed: hold.feed, organisationId: work.caller.organisationId, reason: hold.reason,
    candidateChildIds: hold.candidates, payload: hold.payload, createdAt: work.at,
  });
  return { status: 'HELD_FOR_REVIEW', childId: null, recordId: null, reference: row.id };
}
