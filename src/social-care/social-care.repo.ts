/** Social care episodes as Liquid Logic reports them (written by the inbound sync). */
import { asc, inArray } from 'drizzle-orm';
import { socialCareStatuses } from '../../schema';
import type { DbOrTx } from '../db';

export type SocialCareEpisodeRow = typeof socialCareStatuses.$inferSelect;

export async function episodesOf(db: DbOrTx, childIds: readonly string[]): Promise<SocialCareEpisodeRow[]> {
  if (childIds.length === 0) return [];
  return db
    .select()
    .from(socialCareStatuses)
    .where(inArray(socialCareStatuses.childId, [...childIds]))
    .orderBy(asc(socialCareStatuses.startedOn), asc(socialCareStatuses.updatedAt));
}
