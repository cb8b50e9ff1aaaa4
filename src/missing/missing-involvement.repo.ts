/** Whether an organisation already has an open involvement of a kind with the child. */
import { and, eq, gte, isNull, or } from 'drizzle-orm';
import { involvements } from '../../schema';
import type { InvolvementKind } from '../access/relationship-kinds';
import type { DbOrTx } from '../db';

export async function hasOpenInvolvement(
  db: DbOrTx,
  childId: string,
  organisationId: string,
  kind: InvolvementKind,
  onDate: string,
): Promise<boolean> {
  const rows = await db
    .select({ id: involvements.id })
    .from(involvements)
    .where(
      and(
        eq(involvements.childId, childId),
        eq(involvements.organisationId, organisationId),
        eq(involvements.kind, kind),
        or(isNull(involvements.endedOn), gte(involvements.endedOn, onDate)),
      ),
    )
    .limit(1);
  return rows.length > 0;
}
