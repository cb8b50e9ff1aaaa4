/**
 * Fellegi–Sunter scoring of one candidate pair, as Splink does it: each field is compared into an
 * agreement level, each level carries a weight log2(m/u) (m: how often true matches show that
 * level; u: how often non-matches do), and the weights add up. The m and u values are set by hand
 * from the synthetic benchmark (bench/matching.ts) and BENCHMARKS.md records how they perform.
 *
 * The score is never the whole answer: a few rules stand above it, because their mistakes are the
 * costly ones. Two traced NHS numbers decide on their own; two different traced NHS numbers are two
 * children; and a candidate born the same day with an unrelated given name is a sibling (a twin),
 * never linked however much else agrees.
 */
import { areNameVariants } from './nicknames';
import {
  compactPostcode,
  jaroWinkler,
  lettersOnly,
  nameParts,
  normaliseName,
  postcodeDistrict,
  swappedDate,
} from './strings';

/** Who a record or a registration says the child is. */
export interface MatchPerson {
  givenName?: string | null;
  familyName?: string | null;
  dateOfBirth?: string | null;
  postcode?: string | null;
  /** female | male; anything else is treated as unknown. */
  gender?: string | null;
  nhsNumber?: string | null;
  nhsNumberTraced?: boolean | null;
  upn?: string | null;
}

export type MatchFieldName = 'givenName' | 'familyName' | 'dateOfBirth' | 'postcode' | 'sex' | 'nhsNumber' | 'upn';

export interface FieldComparison {
  field: MatchFieldName;
  /** The agreement level, e.g. exact, nickname, similar, swapped_day_month, same_district, different, missing. */
  level: string;
  /** log2(m/u) for that level; 0 when a side is missing. */
  weight: number;
}

export type MatchBand = 'auto' | 'review' | 'none';

export interface MatchScore {
  score: number;
  band: MatchBand;
  fields: FieldComparison[];
  /** A rule that decided the band over the score, if any. */
  rule: 'traced_nhs_number' | 'different_traced_nhs_numbers' | 'sibling_same_birth_date' | null;
}

export interface Thresholds {
  /** At or above: linked without review. */
  auto: number;
  /** At or above (and below auto): sent to EH DAS review. */
  review: number;
}

/**
 * Chosen from `npm run bench:matching` (see BENCHMARKS.md): auto-link only when every core field
 * agrees exactly, so any nickname, typo, move or swapped date is a person's decision.
 */
export const DEFAULT_THRESHOLDS: Thresholds = { auto: 36, review: 16 };

type Level = { m: number; u: number };
const w = ({ m, u }: Level): number => Math.round(Math.log2(m / u) * 100) / 100;

/** m and u per field and level. */
export const LEVELS = {
  givenName: {
    exact: { m: 0.86, u: 0.002 },
    hyphen_part: { m: 0.02, u: 0.0008 },
    nickname: { m: 0.04, u: 0.0015 },
    similar: { m: 0.05, u: 0.004 },
    somewhat_similar: { m: 0.02, u: 0.02 },
    different: { m: 0.01, u: 0.97 },
  },
  familyName: {
    exact: { m: 0.88, u: 0.003 },
    hyphen_part: { m: 0.03, u: 0.0005 },
    similar: { m: 0.05, u: 0.004 },
    somewhat_similar: { m: 0.01, u: 0.02 },
    different: { m: 0.03, u: 0.97 },
  },
  dateOfBirth: {
    exact: { m: 0.9, u: 0.0002 },
    swapped_day_month: { m: 0.03, u: 0.0002 },
    one_digit: { m: 0.05, u: 0.004 },
    different: { m: 0.02, u: 0.99 },
  },
  postcode: {
    exact: { m: 0.75, u: 0.002 },
    same_district: { m: 0.08, u: 0.05 },
    different: { m: 0.17, u: 0.95 },
  },
  sex: {
    same: { m: 0.97, u: 0.5 },
    different: { m: 0.03, u: 0.5 },
  },
  nhsNumber: {
    same: { m: 0.99, u: 0.0000001 },
    one_digit: { m: 0.005, u: 0.00001 },
    different: { m: 0.005, u: 0.9999 },
  },
  upn: {
    same: { m: 0.99, u: 0.0000001 },
    different: { m: 0.01, u: 0.9999 },
  },
} satisfies Record<MatchFieldName, Record<string, Level>>;

// One shared, frozen comparison per field and level: scoring a pair allocates nothing for them.
const COMPARISONS = Object.fromEntries(
  Object.entries(LEVELS).map(([field, levels]) => [
    field,
    Object.fromEntries([
      ...Object.entries(levels).map(([name, l]) => [name, Object.freeze({ field, level: name, weight: w(l) })]),
      ['missing', Object.freeze({ field, level: 'missing', weight: 0 })],
    ]),
  ]),
) as Record<MatchFieldName, Record<string, FieldComparison>>;

function level<F extends MatchFieldName>(field: F, name: keyof (typeof LEVELS)[F] & string): FieldComparison {
  return COMPARISONS[field][name]!;
}
const missing = (field: MatchFieldName): FieldComparison => COMPARISONS[field].missing!;

const SIMILAR = 0.92;
const SOMEWHAT_SIMILAR = 0.85;

// Names repeat across a population: normalising each spelling once keeps a match within budget.
interface Name {
  letters: string;
  parts: string[];
}
const NAMES = new Map<string, Name>();
function prepared(value?: string | null): Name | null {
  if (!value) return null;
  let n = NAMES.get(value);
  if (n === undefined) {
    const norm = normaliseName(value);
    n = { letters: lettersOnly(norm), parts: nameParts(norm) };
    if (NAMES.size > 200_000) NAMES.clear();
    NAMES.set(value, n);
  }
  return n.letters ? n : null;
}

/** Given names: exact, a part of a double name, a known variant, then Jaro–Winkler bands. */
export function compareGivenNames(a?: string | null, b?: string | null): FieldComparison {
  const x = prepared(a);
  const y = prepared(b);
  if (!x || !y) return missing('givenName');
  if (x.letters === y.letters) return level('givenName', 'exact');
  if (x.parts.some((p) => y.parts.includes(p))) return level('givenName', 'hyphen_part');
  if (x.parts.some((p) => y.parts.some((q) => areNameVariants(p, q)))) return level('givenName', 'nickname');
  const similarity = jaroWinkler(x.letters, y.letters);
  if (similarity >= SIMILAR) return level('givenName', 'similar');
  if (similarity >= SOMEWHAT_SIMILAR) return level('givenName', 'somewhat_similar');
  return level('givenName', 'different');
}

/** Family names: exact, one part of a double-barrelled name, then Jaro–Winkler bands. */
export function compareFamilyNames(a?: string | null, b?: string | null): FieldComparison {
  const x = prepared(a);
  const y = prepared(b);
  if (!x || !y) return missing('familyName');
  if (x.letters === y.letters) return level('familyName', 'exact');
  if ((x.parts.length > 1 || y.parts.length > 1) && x.parts.some((p) => y.parts.includes(p)))
    return level('familyName', 'hyphen_part');
  const similarity = jaroWinkler(x.letters, y.letters);
  if (similarity >= SIMILAR) return level('familyName', 'similar');
  if (similarity >= SOMEWHAT_SIMILAR) return level('familyName', 'somewhat_similar');
  return level('familyName', 'different');
}

const sameLetters = (a?: string | null, b?: string | null): boolean => {
  const x = prepared(a);
  const y = prepared(b);
  return Boolean(x && y && x.letters === y.letters);
};

/** True when two equal-length digit strings differ in one digit or by one adjacent transposition. */
export function oneDigitApart(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diffs: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diffs.push(i);
  if (diffs.length === 1) return true;
  return (
    diffs.length === 2 && diffs[1] === diffs[0]! + 1 && a[diffs[0]!] === b[diffs[1]!] && a[diffs[1]!] === b[diffs[0]!]
  );
}

const DAY_MS = 86_400_000;

/**
 * Dates of birth: exact, day and month swapped, one digit mistyped (or two adjacent swapped) or a
 * day out (29th for 30th: one slip, though two digits) — both as level one_digit.
 */
export function compareDates(a?: string | null, b?: string | null): FieldComparison {
  if (!a || !b) return missing('dateOfBirth');
  if (a === b) return level('dateOfBirth', 'exact');
  if (swappedDate(a) === b) return level('dateOfBirth', 'swapped_day_month');
  if (oneDigitApart(a.replace(/-/g, ''), b.replace(/-/g, ''))) return level('dateOfBirth', 'one_digit');
  if (Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) === DAY_MS)
    return level('dateOfBirth', 'one_digit');
  return level('dateOfBirth', 'different');
}

export function comparePostcodes(a?: string | null, b?: string | null): FieldComparison {
  if (!a || !b) return missing('postcode');
  if (a === b || compactPostcode(a) === compactPostcode(b)) return level('postcode', 'exact');
  if (postcodeDistrict(a) === postcodeDistrict(b)) return level('postcode', 'same_district');
  return level('postcode', 'different');
}

const KNOWN_SEX = new Set(['female', 'male']);
export function compareSex(a?: string | null, b?: string | null): FieldComparison {
  if (!a || !b || !KNOWN_SEX.has(a) || !KNOWN_SEX.has(b)) return missing('sex');
  return level('sex', a === b ? 'same' : 'different');
}

export function compareNhsNumbers(a?: string | null, b?: string | null): FieldComparison {
  if (!a || !b) return missing('nhsNumber');
  if (a === b) return level('nhsNumber', 'same');
  return level('nhsNumber', oneDigitApart(a, b) ? 'one_digit' : 'different');
}

export function compareUpns(a?: string | null, b?: string | null): FieldComparison {
  if (!a || !b) return missing('upn');
  return level('upn', a === b ? 'same' : 'different');
}

const round = (n: number): number => Math.round(n * 100) / 100;

/** Scores `incoming` against an existing record `candidate`, with the per-field explanation. */
export function scorePair(
  incoming: MatchPerson,
  candidate: MatchPerson,
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
): MatchScore {
  const fields = [
    compareGivenNames(incoming.givenName, candidate.givenName),
    compareFamilyNames(incoming.familyName, candidate.familyName),
    compareDates(incoming.dateOfBirth, candidate.dateOfBirth),
    comparePostcodes(incoming.postcode, candidate.postcode),
    compareSex(incoming.gender, candidate.gender),
    compareNhsNumbers(incoming.nhsNumber, candidate.nhsNumber),
    compareUpns(incoming.upn, candidate.upn),
  ];
  // Given and family name written the wrong way round: scored as if in their right places.
  if (
    fields[0]!.level !== 'exact' &&
    sameLetters(incoming.givenName, candidate.familyName) &&
    sameLetters(incoming.familyName, candidate.givenName)
  ) {
    fields[0] = {
      field: 'givenName',
      level: 'exact_swapped_with_family_name',
      weight: level('givenName', 'exact').weight,
    };
    fields[1] = {
      field: 'familyName',
      level: 'exact_swapped_with_given_name',
      weight: level('familyName', 'exact').weight,
    };
  }
  let total = 0;
  for (const f of fields) total += f.weight;
  const score = round(total);
  const [given, , date, , , nhs, upn] = fields.map((f) => f.level);
  const of = (field: MatchFieldName) =>
    field === 'givenName' ? given : field === 'dateOfBirth' ? date : field === 'nhsNumber' ? nhs : upn;
  const bothTraced = Boolean(incoming.nhsNumberTraced && candidate.nhsNumberTraced);
  if (bothTraced && of('nhsNumber') === 'same') return { score, band: 'auto', fields, rule: 'traced_nhs_number' };
  if (bothTraced && (of('nhsNumber') === 'different' || of('nhsNumber') === 'one_digit'))
    return { score, band: 'none', fields, rule: 'different_traced_nhs_numbers' };
  const identifierAgrees = of('nhsNumber') === 'same' || of('upn') === 'same';
  if (!identifierAgrees && of('dateOfBirth') === 'exact' && of('givenName') === 'different') {
    return { score, band: 'none', fields, rule: 'sibling_same_birth_date' };
  }
  const band: MatchBand = score >= thresholds.auto ? 'auto' : score >= thresholds.review ? 'review' : 'none';
  return { score, band, fields, rule: null };
}

export interface RankedCandidate<T> {
  candidate: T;
  result: MatchScore;
}

/**
 * Scores every blocked candidate and ranks them, best first. Two candidates both in the auto
 * band cannot both be this child: the decision falls back to review.
 */
export function rankCandidates<T extends MatchPerson>(
  incoming: MatchPerson,
  candidates: readonly T[],
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
): { band: MatchBand; ranked: RankedCandidate<T>[] } {
  const ranked = candidates
    .map((candidate) => ({ candidate, result: scorePair(incoming, candidate, thresholds) }))
    .filter((r) => r.result.band !== 'none')
    .sort(
      (a, b) => Number(b.result.band === 'auto') - Number(a.result.band === 'auto') || b.result.score - a.result.score,
    );
  if (ranked.length === 0) return { band: 'none', ranked };
  const autos = ranked.filter((r) => r.result.band === 'auto').length;
  return { band: autos === 1 ? ranked[0]!.result.band : 'review', ranked };
}
