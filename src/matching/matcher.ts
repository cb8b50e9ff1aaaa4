/**
 * The probabilistic match of a description against the live records: blocked in SQL, scored in
 * TypeScript (one scorer for both databases and for the benchmark).
 */
import type { DbOrTx } from '../db';
import { blockedCandidates, type BlockedChild } from './matching.repository';
import {
  DEFAULT_THRESHOLDS,
  rankCandidates,
  type FieldComparison,
  type MatchBand,
  type MatchPerson,
  type Thresholds,
} from './score';

/** What an EH DAS reviewer is shown per candidate: the score and how each field contributed. */
export interface CandidateExplanation {
  childId: string;
  score: number;
  band: MatchBand;
  rule: string | null;
  fields: FieldComparison[];
}

export interface ProbableMatch {
  band: MatchBand;
  /** Candidates in the auto or review band, best first (at most `keep`). */
  candidates: CandidateExplanation[];
}

export async function findProbableMatches(
  db: DbOrTx,
  person: MatchPerson,
  options: { thresholds?: Thresholds; keep?: number } = {},
): Promise<ProbableMatch> {
  const blocked = await blockedCandidates(db, person);
  return explainRanking(person, blocked, options);
}

export function explainRanking(
  person: MatchPerson,
  blocked: readonly BlockedChild[],
  { thresholds = DEFAULT_THRESHOLDS, keep = 5 }: { thresholds?: Thresholds; keep?: number } = {},
): ProbableMatch {
  const { band, ranked } = rankCandidates(person, blocked, thresholds);
  return {
    band,
    candidates: ranked.slice(0, keep).map(({ candidate, result }) => ({
      childId: candidate.id,
      score: result.score,
      band: result.band,
      rule: result.rule,
      fields: result.fields,
    })),
  };
}
