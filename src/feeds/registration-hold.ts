/**
 * A registration the probabilistic matcher scored as probably an existing child joins the EH DAS
 * review queue like a held feed submission: a ledger row (feed `registration`, keyed by a fresh
 * reference, as a registration has no partner key) and the held match with the candidates and the
 * matcher's explanation. Resolving it to a record links the registration there; createNew makes the
 * record from what was registered.
 */
import { randomUUID } from 'node:crypto';
import type { Caller } from '../auth/caller';
import type { NewChildRow } from '../child/child.repo';
import type { Db } from '../db';
import type { CandidateExplanation } from '../matching/matcher';
import { contentHash } from './content-hash';
import { claimSubmission, insertPendingMatch, saveResponse } from './submissions.repo';

export const REGISTRATION_FEED = 'registration';

export async function holdRegistration(
  db: Db,
  hold: {
    row: NewChildRow;
    candidates: CandidateExplanation[];
    caller: Pick<Caller, 'subject' | 'organisationId'>;
    at: Date;
  },
): Promise<string> {
  const { matchKey: _derived, ...payload } = hold.row;
  return db.transaction(async (tx) => {
    const submission = await claimSubmission(
      tx,
      { organisationId: hold.caller.organisationId, feed: REGISTRATION_FEED, externalRef: randomUUID() },
      contentHash(payload),
      hold.caller.subject,
      hold.at,
    );
    if (!submission) throw new Error('Invariant failed: a fresh registration reference was already taken');
    const pending = await insertPendingMatch(tx, {
      submissionId: submission.id,
      feed: REGISTRATION_FEED,
      organisationId: hold.caller.organisationId,
      reason: 'probable_match',
      candidateChildIds: hold.candidates.map((c) => c.childId),
      payload,
      explanation: hold.candidates,
      createdAt: hold.at,
    });
    await saveResponse(tx, submission.id, { status: 'HELD_FOR_REVIEW', reference: pending.id }, false);
    return pending.id;
  });
}
