/**
 * Per-request DataLoaders for child records read from other objects (an EHA's child, a police
 * notification's child): one batched lookup per request instead of one per row (the N+1 test,
 * test/n-plus-one.e2e.spec.ts, counts them). Built lazily per request context, never shared.
 */
import DataLoader from 'dataloader';
import type { DbOrTx } from '../db';
import { findByIds, findLiveByIds, type ChildRow } from './child.repo';

export interface ChildLoaders {
  /** The record with exactly this id (merged or not). */
  byId: DataLoader<string, ChildRow | null>;
  /** The live record an id resolves to, following merges (as ChildService.get). */
  live: DataLoader<string, ChildRow | null>;
}

const byContext = new WeakMap<object, ChildLoaders>();

export function childLoaders(context: object, db: DbOrTx): ChildLoaders {
  let loaders = byContext.get(context);
  if (!loaders) {
    loaders = createChildLoaders(db);
    byContext.set(context, loaders);
  }
  return loaders;
}

function createChildLoaders(db: DbOrTx): ChildLoaders {
  return {
    byId: new DataLoader(async (ids) => {
      const rows = new Map((await findByIds(db, ids)).map((r) => [r.id, r]));
      return ids.map((id) => rows.get(id) ?? null);
    }),
    live: new DataLoader(async (ids) => {
      const rows = new Map(
        (await findLiveByIds(db, ids)).map(({ requestedId, ...row }) => [requestedId, row as ChildRow]),
      );
      return ids.map((id) => rows.get(id) ?? null);
    }),
  };
}
