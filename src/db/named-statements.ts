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
 * values (a generic plan), and for a read over skewed data that plan can be far worse. The DPO's
 * `accessLog` over 10M audit rows took 0.4 ms planned for its organisation and window, and 40 ms
 * on the generic plan (every row of the window sorted instead of an index walk stopped after
 * 51). An unnamed statement is planned for its values each time. The hot reads that gain from a
 * plan kept (the school lookup) are `.prepare()`d and checked with EXPLAIN (BENCHMARKS.md).
 *
 * Why bounded: postgres.js keeps a connection's named statements for the life of the connection
 * and so does the server. Statement texts are few (the code's query shapes), but an `inArray`
 * list makes one text per list length; past `limit` distinct texts, new ones run unnamed as
 * before, so no connection holds more than `limit` statements.
 */
import type { Sql, TransactionSql } from 'postgres';

export interface NamedStatementsOptions {
  /** Distinct statement texts that may be named, per process (default 500). */
  limit?: number;
}

type Unsafe = Sql['unsafe'];

/** drizzle's writes start with their verb; a `with … update` (the outbox claim) is planned per run. */
const WRITE = /^\s*(insert|update|delete)\s/i;
type AnySql = Sql | TransactionSql;

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
  return wrap(client, mayName);
}

function wrap<S extends AnySql>(client: S, mayName: (text: string) => boolean): S {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === 'unsafe') {
        const unsafe = value as Unsafe;
        return ((text: string, parameters?: unknown[], queryOptions?: { prepare?: boolean }) =>
          unsafe.call(target, text, parameters as never, parameters?.length && queryOptions?.prepare === false && mayName(text)
            ? { ...queryOptions, prepare: true }
            : queryOptions)) as Unsafe;
      }
      // A transaction or savepoint hands its callback a client of its own: it gets the same rule.
      if (property === 'begin' || property === 'savepoint') {
        const open = value as (...args: unknown[]) => unknown;
        return (...args: unknown[]) => open.apply(target, args.map((arg) =>
          typeof arg === 'function' ? (inner: TransactionSql) => (arg as (c: TransactionSql) => unknown)(wrap(inner, mayName)) : arg));
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
