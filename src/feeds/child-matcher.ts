/**
 * Matching a partner's description of a child to the one record, with certainty or not at all:
 * a feed never creates a record. An identifier finds a record (an NHS number only when traced, as
 * the master person index trusts only traced numbers); name + date of birth must find exactly one
 * live record, which must not contradict a postcode the partner gave. Anything less is held, with
 * the probabilistic matcher's candidates and reasons when it has any.
 */
import { matchKey, normalisePostcode } from '../child/identifiers';
import type { DbOrTx } from '../db';
import { findProbableMatches, type CandidateExplanation } from '../matching/matcher';
import { liveChildByNhsNumber, liveChildByUpn, liveChildrenByMatchKeyPrefix, type LiveChild } from './relations.repo';

export type HoldReason = 'no_match' | 'ambiguous' | 'untraced_nhs_number' | 'not_on_roll' | 'probable_match';

export type MatchResult =
  | { matched: true; child: LiveChild }
  /** `explanation`: the probabilistic matcher's reasons, for EH DAS, when it offered the candidates. */
  | { matched: false; reason: HoldReason; candidates: string[]; explanation?: CandidateExplanation[] };

/** Who the partner says the child is; identifiers already validated and normalised. */
export interface ChildDescription {
  nhsNumber?: string | null;
  upn?: string | null;
  givenName?: string | null;
  familyName?: string | null;
  dateOfBirth?: string | null;
  postcode?: string | null;
}

export async function matchChild(tx: DbOrTx, who: ChildDescription): Promise<MatchResult> {
  if (who.nhsNumber) {
    const found = await liveChildByNhsNumber(tx, who.nhsNumber);
    if (found)
      return found.nhsNumberTraced
        ? { matched: true, child: found }
        : { matched: false, reason: 'untraced_nhs_number', candidates: [found.id] };
  }
  if (who.upn) {
    const found = await liveChildByUpn(tx, who.upn);
    if (found) return { matched: true, child: found };
  }
  if (who.givenName && who.familyName && who.dateOfBirth) {
    const prefix = matchKey({
      givenName: who.givenName,
      familyName: who.familyName,
      date: who.dateOfBirth,
      postcode: null,
    });
    let candidates = await liveChildrenByMatchKeyPrefix(tx, prefix);
    if (who.postcode) {
      const pc = normalisePostcode(who.postcode);
      candidates = candidates.filter((c) => !c.postcode || normalisePostcode(c.postcode) === pc);
    }
    if (candidates.length === 1) return { matched: true, child: candidates[0]! };
    if (candidates.length > 1) return { matched: false, reason: 'ambiguous', candidates: candidates.map((c) => c.id) };
    // Not exactly: a nickname, typo, move or swapped date is held for EH DAS with the matcher's
    // reasons. A feed never links on a score: even the auto band is a person's decision here.
    const probable = await findProbableMatches(tx, {
      givenName: who.givenName,
      familyName: who.familyName,
      dateOfBirth: who.dateOfBirth,
      postcode: who.postcode,
    });
    if (probable.candidates.length)
      return {
        matched: false,
        reason: 'probable_match',
        candidates: probable.candidates.map((c) => c.childId),
        explanation: probable.candidates,
      };
  }
  return { matched: false, reason: 'no_match', candidates: [] };
}
