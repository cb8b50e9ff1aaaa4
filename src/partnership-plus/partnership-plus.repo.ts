/** SQL behind the Partnership Plus rule: who leads the EHA, and the child's current health level. */
import { and, desc, eq } from 'drizzle-orm';
import { ehas, healthUpdates, organisations, practitioners } from '../../schema';
import type { DbOrTx } from '../db';

export interface EhaLeadership {
  childId: string;
  /** Kind of the lead practitioner's organisation (null while no lead is named). */
  leadOrganisationKind: string | null;
}

export async function ehaLeadership(db: DbOrTx, ehaId: string): Promise<EhaLeadership | null> {
  const [row] = await db
    .select({ childId: ehas.childId, kind: organisations.kind })
    .from(ehas)
    .leftJoin(practitioners, eq(practitioners.id, ehas.leadPractitionerId))
    .leftJoin(organisations, eq(organisations.id, practitioners.organisationId))
    .where(eq(ehas.id, ehaId));
  return row ? { childId: row.childId, leadOrganisationKind: row.kind ?? null } : null;
}

/** The child's latest health level as posted by a health organisation (effective date, then arrival). */
export async function currentHealthLevel(db: DbOrTx, childId: string): Promise<string | null> {
  const [row] = await db
    .select({ level: healthUpdates.level })
    .from(healthUpdates)
    .innerJoin(organisations, and(eq(organisations.id, healthUpdates.organisationId), eq(organisations.kind, 'health')))
    .where(eq(healthUpdates.childId, childId))
    .orderBy(desc(healthUpdates.effectiveDate), desc(healthUpdates.receivedAt))
    .limit(1);
  return row?.level ?? null;
}
