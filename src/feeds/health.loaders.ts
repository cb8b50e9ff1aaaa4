/**
 * Per-request loader of health histories, so a list of children costs one query. Keyed by the
 * request's context object: it lives and dies with the request, and nothing crosses callers.
 */
import DataLoader from 'dataloader';
import type { DbOrTx } from '../db';
import { historiesOf, type HealthUpdateRow } from './health.repo';

const perRequest = new WeakMap<object, DataLoader<string, HealthUpdateRow[]>>();

export function healthHistoryLoader(ctx: object, db: DbOrTx): DataLoader<string, HealthUpdateRow[]> {
  let loader = perRequest.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (ids) => {
      const rows = await historiesOf(db, ids);
      return ids.map((id) => rows.filter((r) => r.childId === id));
    });
    perRequest.set(ctx, loader);
  }
  return loader;
}

/** The level in force: the last of the history (ordered by effective date, then receipt). */
export function levelOf(history: HealthUpdateRow[]): string | null {
  return history.length ? history[history.length - 1]!.level : null;
}
