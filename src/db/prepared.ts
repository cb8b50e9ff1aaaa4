/**
 * Statements of the hot read path, built once per database handle. Assembling the SQL text is
 * most of drizzle's cost on a lookup (it was a fifth of the hub's CPU on the school lookup);
 * a prepared query only binds its placeholders. A transaction is a new handle, so a query run
 * inside one is built afresh, exactly as before.
 */
import type { DbOrTx } from './database';

export function preparedOn<Q>(build: (db: DbOrTx) => Q): (db: DbOrTx) => Q {
  const byHandle = new WeakMap<DbOrTx, Q>();
  return (db) => {
    let query = byHandle.get(db);
    if (query === undefined) {
      query = build(db);
      byHandle.set(db, query);
    }
    return query;
  };
}
