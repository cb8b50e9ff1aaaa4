/**
 * Retention of case data: how long each kind of child record is kept, counted from the child's
 * date of birth (an unborn baby's expected date). The defaults follow the published rules local
 * authorities work to; the partnership's records manager sets the local values (RetentionPolicy).
 *
 *  - looked_after:   to the 75th birthday — Care Planning, Placement and Case Review (England)
 *                    Regulations 2010, reg. 50 (case record of a looked-after child).
 *  - child_in_need:  locally set; commonly the 18th birthday + 7 years (e.g. IRMS Retention
 *                    Guidelines for Local Authorities, children's social care). `plusYears` is the
 *                    configurable part.
 *  - early_help:     locally set; default the 25th birthday (the Early Help age range ends at 25
 *                    for young people with SEND).
 *
 * A child whose records fall under several types is kept to the latest date. Deleting case data
 * never deletes the access audit: `access_audit` is append-only and outlives the case record (the
 * audit holds ids, categories and field names, never values).
 */
import { addMonths } from '../shared/calendar';

export const RECORD_TYPES = ['looked_after', 'child_in_need', 'early_help'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** Kept until the `birthday`-th birthday plus `plusYears` years. */
export interface RetentionRule {
  birthday: number;
  plusYears?: number;
  /** Where the rule comes from, shown in the sweep report. */
  source: string;
}

export type RetentionPolicy = Readonly<Record<RecordType, RetentionRule>>;

export const DEFAULT_RETENTION: RetentionPolicy = {
  looked_after: { birthday: 75, source: 'Care Planning, Placement and Case Review (England) Regulations 2010 reg. 50' },
  child_in_need: { birthday: 18, plusYears: 7, source: 'Local policy (IRMS guidelines): 18th birthday + 7 years' },
  early_help: { birthday: 25, source: 'Local policy: 25th birthday' },
};

/** What the sweep knows about a child when classifying its records. */
export interface ChildRecordFacts {
  /** Involvement kinds the child has ever had (any date). */
  involvementKinds: ReadonlySet<string>;
  /** Tables holding at least one row naming the child. */
  tables: ReadonlySet<string>;
}

/**
 * Which record types apply. Default: a child with an allocated social worker has child-in-need
 * records; a child with a looked-after record (a `looked_after*` table naming the child, when the
 * social care module adds one) is looked after; every child has Early Help records. Pass your own
 * to `RetentionService` when the local rules differ.
 */
export type Classifier = (facts: ChildRecordFacts) => RecordType[];

export const defaultClassifier: Classifier = (facts) => {
  const types: RecordType[] = ['early_help'];
  if (facts.involvementKinds.has('allocated_social_worker')) types.push('child_in_need');
  if ([...facts.tables].some((t) => t.startsWith('looked_after'))) types.push('looked_after');
  return types;
};

/** The date (YYYY-MM-DD) until which records of the type are kept for a child born on `birthDate`. */
export function retainUntil(birthDate: string, rule: RetentionRule): string {
  return addMonths(birthDate, (rule.birthday + (rule.plusYears ?? 0)) * 12);
}

/** The latest retention date over the types that apply, and the type that sets it. */
export function retentionOf(
  birthDate: string,
  types: readonly RecordType[],
  policy: RetentionPolicy,
): { recordType: RecordType; retainUntil: string } {
  let best: { recordType: RecordType; retainUntil: string } | null = null;
  for (const type of types) {
    const until = retainUntil(birthDate, policy[type]);
    if (!best || until > best.retainUntil) best = { recordType: type, retainUntil: until };
  }
  return best ?? { recordType: 'looked_after', retainUntil: retainUntil(birthDate, policy.looked_after) };
}

/** Youngest age (in years) at which any record type can fall due: children younger are skipped. */
export function minimumRetentionYears(policy: RetentionPolicy): number {
  return Math.min(...RECORD_TYPES.map((t) => policy[t].birthday + (policy[t].plusYears ?? 0)));
}
