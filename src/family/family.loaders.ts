/**
 * Per-request DataLoaders for household data: a page of children asks for their families in one
 * query. Built lazily for each request context and dropped with it, so nothing is cached across
 * requests (or callers).
 */
import DataLoader from 'dataloader';
import type { DbOrTx } from '../db';
import { familyLinksOf, type FamilyLinkRow } from './family.repo';

export interface FamilyLoaders {
  linksByChild: DataLoader<string, FamilyLinkRow[]>;
}

const perRequest = new WeakMap<object, FamilyLoaders>();

/** The loaders of one request; `request` is the request context object (any per-request object). */
export function familyLoaders(request: object, db: DbOrTx): FamilyLoaders {
  let loaders = perRequest.get(request);
  if (!loaders) {
    loaders = {
      linksByChild: new DataLoader(async (ids) => {
        const rows = await familyLinksOf(db, ids);
        return ids.map((id) => rows.filter((r) => r.childId === id));
      }),
    };
    perRequest.set(request, loaders);
  }
  return loaders;
}
