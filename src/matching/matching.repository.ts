/** The blocking query: live records sharing a blocking key with a description (see blocking.ts). */
import { and, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { childFamilyNameKey, childPostcodeDistrict, children } from '../../schema';
import type { DbOrTx } from '../db';
import { blockingValues } from './blocking';
import type { MatchPerson } from './score';

export interface BlockedChild extends MatchPerson {
  id: string;
}

/** More than this many candidates means the description is too thin to block on; the best are scored. */
export const MAX_BLOCK = 200;

/** '2016-12' → '2017-01-01'. */
function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
}

export async function blockedCandidates(db: DbOrTx, person: MatchPerson, limit = MAX_BLOCK): Promise<BlockedChild[]> {
  const v = blockingValues(person);
  const blocks: SQL[] = [];
  if (v.dates.length) blocks.push(inArray(children.dateOfBirth, v.dates));
  if (v.district && v.familyKey)
    blocks.push(sql`(${childPostcodeDistrict} = ${v.district} and ${childFamilyNameKey} = ${v.familyKey})`);
  if (v.familyKey && v.month)
    blocks.push(
      sql`(${childFamilyNameKey} = ${v.familyKey} and ${children.dateOfBirth} >= ${`${v.month}-01`} and ${children.dateOfBirth} < ${nextMonth(v.month)})`,
    );
  if (blocks.length === 0) return [];
  return db
    .select({
      id: children.id,
      givenName: children.givenName,
      familyName: children.familyName,
      dateOfBirth: children.dateOfBirth,
      postcode: children.postcode,
      gender: children.gender,
      nhsNumber: children.nhsNumber,
      nhsNumberTraced: children.nhsNumberTraced,
      upn: children.upn,
    })
    .from(children)
    .where(and(isNull(children.mergedInto), or(...blocks)))
    .limit(limit);
}
