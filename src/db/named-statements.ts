/**
 * Every parameterised write (INSERT, UPDATE, DELETE) drizzle sends through postgres.js is run as a
 * named (server-side prepared) statement, up to a bounded number of distinct statement texts.
 *
 * Why: drizzle asks postgres.js for `prepare: false` unless a query was built with `.prepare()`,
 * and postgres.js runs an unnamed statement that has parameters in two round trips — Parse and
 * Describe, wait for the parameter types, then Bind and Execute — with the server parsing it
 * every time. That was half of the socket writes of a school lookup (the audit append on every
 * audited request) and doubles every write of a mutation. A named statement is described once
 * per connection, then costs one round trip.
 *
 * Why writes only: after five runs Postgres may plan a named statement once for all parameter
 * values (a generic plan), and for a read over skewed data that plan can be far worse: the DPO's
 * `accessLog` on the generic plan sorts every row of the window instead of walking an index and
 * stopping after one page (BENCHMARKS.md has the figures). An unnamed statement is planned for its values each time. The hot reads that gain from a
 * plan kept (the school lookup) are `.prepare()`d and checked with EXPLAIN (BENCHMARKS.md).
 *
 * Why bounded: postgres.js keeps a connection's named statements for the life of the connection
 * and so does the server. Statement texts are few (the code's query shapes), but an `inArray`
 * list makes one text per list length; past `limit` distinct texts, new ones run unnamed as
 * before, so no connection holds more than `limit` statements.
 */
import type { Sql } from 'postgres';
import { withUnsafe, type Unsafe } from './wrap-client';

export interface NamedStatementsOptions {
  /** Distinct statement texts that may be named, per process (default 500). */
  limit?: number;
}

/** drizzle's writes start with their verb; a `with … update` (the outbox claim) is planned per run. */
const WRITE = /^\s*(insert|update|delete)\s/i;

export function namedStatements<S extends Sql>(client: S, options: NamedStatementsOptions = {}): S {
  const admitted = new Set<string>();
  const limit = options.limit ?? 500;
  const mayName = (text: string): boolean => {
    if (admitted.has(text)) return true;
    if (!WRITE.test(text)) return false;
    if (admitted.size >= limit) return false;
    admitted.add(text);
    return true;
  };
  return withUnsafe(
    client,
    (unsafe, target) =>
      ((text: string, parameters?: unknown[], queryOptions?: { prepare?: boolean }) =>
        unsafe.call(
          target,
          text,
          parameters as never,
          parameters?.length && queryOptions?.prepare === false && mayName(text)
            ? { ...queryOptions, prepare: true }
            : queryOptions,
        )) as Unsafe,
  );
}
