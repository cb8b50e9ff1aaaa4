/**
 * Holding a valid submission whose child cannot be matched with certainty. The submitter is told
 * HELD_FOR_REVIEW with a reference (the held match's id); nothing about which records exist.
 */
import type { CandidateExplanation } from '../matching/matcher';
import type { ChildDescription, HoldReason } from './child-matcher';
import type { FeedName, FeedWork } from './submission';
import { insertPendingMatch } from './submissions.repo';

export const FEED_STATUSES = ['APPLIED', 'HELD_FOR_REVIEW', 'RECEIVED'] as const;
export type FeedStatus = (typeof FEED_STATUSES)[number];

/**
 * What the health and police feeds answer: received, under the submission's id, and nothing
 * about matching — the same body whether the child was matched, held or unknown.
 */
export interface PostReceipt {
  status: 'RECEIVED';
  receiptId: string;
}

export const received = (submissionId: string): PostReceipt => ({ status: 'RECEIVED', receiptId: submissionId });

/** What every feed answers per child; stored and replayed verbatim on a retry. */
export interface FeedReceipt {
  status: FeedStatus;
  childId: string | null;
  /** The hub row created (health update, attendance record, notification, contact). */
  recordId: string | null;
  /** Reference of the held submission, to quote when asking about it. */
  reference: string | null;
}

/**
 * Holds a submission for EH DAS. With `audited`, the hold is audited like an applied post: a change
 * row under the child when the hub holds it, under a keyed stand-in for what was sent when it does
 * not, so the audit neither skips a post about a child the hub does not hold nor registers the identifier.
 */
export async function holdForReview(
  work: FeedWork,
  hold: {
    submissionId: string;
    feed: FeedName;
    reason: HoldReason;
    candidates: string[];
    explanation?: CandidateExplanation[];
    payload: unknown;
    audited?: { childId: string; action: string };
  },
): Promise<FeedReceipt> {
  const row = await insertPendingMatch(work.tx, {
    submissionId: hold.submissionId,
    feed: hold.feed,
    organisationId: work.caller.organisationId,
    reason: hold.reason,
    candidateChildIds: hold.candidates,
    explanation: hold.explanation ?? null,
    payload: hold.payload,
    createdAt: work.at,
  });
  if (hold.audited)
    work.changes.push({ childId: hold.audited.childId, action: hold.audited.action, fields: ['heldForReview'] });
  return { status: 'HELD_FOR_REVIEW', childId: null, recordId: null, reference: row.id };
}

/** What a sender named a child by, as the audit's stand-in hashes it when the hub holds no such child. */
export function askedFor(who: ChildDescription & { childId?: string | null }): string[] {
  if (who.childId) return ['child', who.childId];
  if (who.nhsNumber) return ['nhs_number', who.nhsNumber];
  if (who.upn) return ['upn', who.upn];
  return ['description', who.givenName ?? '', who.familyName ?? '', who.dateOfBirth ?? '', who.postcode ?? ''];
}
