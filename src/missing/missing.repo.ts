/** SQL of missing episodes and the overdue return interview queue. */
import { and, asc, eq, isNotNull, isNull, lt, sql, type SQL } from 'drizzle-orm';
import { missingEpisodes, socialCareStatuses } from '../../schema';
import type { DbOrTx } from '../db';

export type MissingEpisodeRow = typeof missingEpisodes.$inferSelect;
export type NewMissingEpisodeRow = typeof missingEpisodes.$inferInsert & { createdAt: Date };

export async function insertEpisode(tx: DbOrTx, row: typeof missingEpisodes.$inferInsert): Promise<MissingEpisodeRow> {
  const [created] = await tx.insert(missingEpisodes).values(row).returning();
  return created!;
}

export async function findEpisode(db: DbOrTx, id: string): Promise<MissingEpisodeRow | null> {
  const [row] = await db.select().from(missingEpisodes).where(eq(missingEpisodes.id, id));
  return row ?? null;
}

export async function lockEpisode(tx: DbOrTx, id: string): Promise<MissingEpisodeRow | null> {
  const [row] = await tx.select().from(missingEpisodes).where(eq(missingEpisodes.id, id)).for('update');
  return row ?? null;
}

export async function updateEpisode(
  tx: DbOrTx,
  id: string,
  version: number,
  set: Partial<typeof missingEpisodes.$inferInsert>,
): Promise<MissingEpisodeRow | null> {
  const [row] = await tx
    .update(missingEpisodes)
    .set({ ...set, version: sql`${missingEpisodes.version} + 1` })
    .where(and(eq(missingEpisodes.id, id), eq(missingEpisodes.version, version)))
    .returning();
  return row ?? null;
}

/** Returned before `dueBefore` (now − 72 h), interview neither completed nor declined, within the caller's row rule. */
export async function overdueInterviews(db: DbOrTx, dueBefore: Date, where: SQL): Promise<MissingEpisodeRow[]> {
  return db
    .select()
    .from(missingEpisodes)
    .where(
      and(
        isNotNull(missingEpisodes.returnedAt),
        lt(missingEpisodes.returnedAt, dueBefore),
        isNull(missingEpisodes.interviewCompletedAt),
        isNull(missingEpisodes.interviewDeclinedAt),
        where,
      ),
    )
    .orderBy(asc(missingEpisodes.returnedAt), asc(missingEpisodes.id))
    .limit(500);
}

export async function episodesOfChild(db: DbOrTx, childId: string): Promise<MissingEpisodeRow[]> {
  return db
    .select()
    .from(missingEpisodes)
    .where(eq(missingEpisodes.childId, childId))
    .orderBy(asc(missingEpisodes.startedAt))
    .limit(200);
}

/** Looked-after children's return interviews are arranged by their social worker, not EH DAS. */
export async function isLookedAfter(db: DbOrTx, childId: string): Promise<boolean> {
  const rows = await db
    .select({ id: socialCareStatuses.id })
    .from(socialCareStatuses)
    .where(
      and(
        eq(socialCareStatuses.childId, childId),
        eq(socialCareStatuses.kind, 'looked_after'),
        isNull(socialCareStatuses.endedOn),
      ),
    )
    .limit(1);
  return rows.length > 0;
}

/** The episode a force reported under its own reference for a child, if any. */
export async function episodeByPoliceReference(
  db: DbOrTx,
  organisationId: string,
  policeReference: string,
  childId: string,
): Promise<MissingEpisodeRow | null> {
  const [row] = await db
    .select()
    .from(missingEpisodes)
    .where(
      and(
        eq(missingEpisodes.reportedByOrganisationId, organisationId),
        eq(missingEpisodes.policeReference, policeReference),
        eq(missingEpisodes.childId, childId),
      ),
    )
    .limit(1);
  return row ?? null;
}
