/**
 * Blocking: which existing records are worth scoring at all. A pair is compared when it shares
 * one of these keys; matching.repository.ts asks the database the same three questions.
 *  - date of birth (or the incoming date with day and month swapped);
 *  - postcode district + phonetic family name (catches mistyped dates);
 *  - phonetic family name + year and month of birth (catches a move together with a mistyped day).
 */
import type { MatchPerson } from './score';
import { phoneticKey, postcodeDistrict, swappedDate } from './strings';

export interface BlockingValues {
  dates: string[];
  district: string | null;
  familyKey: string | null;
  /** YYYY-MM */
  month: string | null;
}

export function blockingValues(person: MatchPerson): BlockingValues {
  const dob = person.dateOfBirth ?? null;
  const swapped = dob ? swappedDate(dob) : null;
  return {
    dates: dob ? (swapped ? [dob, swapped] : [dob]) : [],
    district: person.postcode ? postcodeDistrict(person.postcode) || null : null,
    familyKey: person.familyName ? phoneticKey(person.familyName) : null,
    month: dob ? dob.slice(0, 7) : null,
  };
}

/** The keys a stored record is filed under. */
export function recordKeys(person: MatchPerson): string[] {
  const v = blockingValues(person);
  const keys: string[] = [];
  if (person.dateOfBirth) keys.push(`d:${person.dateOfBirth}`);
  if (v.district && v.familyKey) keys.push(`p:${v.district}|${v.familyKey}`);
  if (v.familyKey && v.month) keys.push(`m:${v.familyKey}|${v.month}`);
  return keys;
}

/** The keys to look up for an incoming description (its swapped date included). */
export function queryKeys(person: MatchPerson): string[] {
  const v = blockingValues(person);
  const keys = v.dates.map((d) => `d:${d}`);
  if (v.district && v.familyKey) keys.push(`p:${v.district}|${v.familyKey}`);
  if (v.familyKey && v.month) keys.push(`m:${v.familyKey}|${v.month}`);
  return keys;
}

/** An in-memory blocking index (the benchmark's, and any batch job's). */
export class BlockingIndex<T extends MatchPerson> {
  private readonly byKey = new Map<string, T[]>();

  add(record: T): void {
    for (const key of recordKeys(record)) {
      const list = this.byKey.get(key);
      if (list) list.push(record);
      else this.byKey.set(key, [record]);
    }
  }

  candidates(person: MatchPerson): T[] {
    const seen = new Set<T>();
    for (const key of queryKeys(person)) for (const r of this.byKey.get(key) ?? []) seen.add(r);
    return [...seen];
  }
}
