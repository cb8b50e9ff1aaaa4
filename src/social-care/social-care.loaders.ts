/** Per-request loader of a child's social care episodes: a list of children costs one query. */
import DataLoader from 'dataloader';
import type { DbOrTx } from '../db';
import { episodesOf, type SocialCareEpisodeRow } from './social-care.repo';

const perRequest = new WeakMap<object, DataLoader<string, SocialCareEpisodeRow[]>>();

export function socialCareEpisodesLoader(ctx: object, db: DbOrTx): DataLoader<string, SocialCareEpisodeRow[]> {
  let loader = perRequest.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const byChild = new Map<string, SocialCareEpisodeRow[]>(ids.map((id) => [id, []]));
      for (const row of await episodesOf(db, ids)) byChild.get(row.childId)?.push(row);
      return ids.map((id) => byChild.get(id)!);
    });
    perRequest.set(ctx, loader);
  }
  return loader;
}
