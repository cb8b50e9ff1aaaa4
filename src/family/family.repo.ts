/** SQL for a child's household: parents and carers (family members) and siblings (child records). */
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { children, familyMembers, householdLinks, type HouseholdRelation } from '../../schema';
import type { DbOrTx } from '../db';

export interface FamilyLinkRow {
  id: string;
  childId: string;
  relation: HouseholdRelation;
  hasParentalResponsibility: boolean;
  familyMemberId: string | null;
  siblingChildId: string | null;
  givenName: string | null;
  familyName: string | null;
}

const sibling = alias(children, 'sibling');

/** Household links of many children in one query, with the member's or sibling's name. */
export async function familyLinksOf(db: DbOrTx, childIds: readonly string[]): Promise<FamilyLinkRow[]> {
  if (childIds.length === 0) return [];
  return db
    .select({
      id: householdLinks.id,
      childId: householdLinks.childId,
      relation: householdLinks.relation,
      hasParentalResponsibility: householdLinks.hasParentalResponsibility,
      familyMemberId: householdLinks.familyMemberId,
      siblingChildId: householdLinks.siblingChildId,
      givenName: sql<string | null>`coalesce(${familyMembers.givenName}, ${sibling.givenName})`,
      familyName: sql<string | null>`coalesce(${familyMembers.familyName}, ${sibling.familyName})`,
    })
    .from(householdLinks)
    .leftJoin(familyMembers, eq(familyMembers.id, householdLinks.familyMemberId))
    .leftJoin(sibling, eq(sibling.id, householdLinks.siblingChildId))
    .where(inArray(householdLinks.childId, [...childIds]))
    .orderBy(asc(householdLinks.childId), asc(householdLinks.relation), asc(householdLinks.id));
}
