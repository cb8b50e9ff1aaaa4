/**
 * A span per SQL statement, for either driver (see tracing.ts). postgres.js queries are lazy: a
 * query runs when it is first awaited, after drizzle has chosen its result format (`.values()`),
 * so the span starts at that `then`, not when the query object is built.
 */
import type { PGlite } from '@electric-sql/pglite';
import type { PendingQuery, Row, Sql } from 'postgres';
import { wrapPglite } from '../db/query-observer';
import { withUnsafe, type Unsafe } from '../db/wrap-client';
import { traceStatement } from './tracing';

export function tracePostgres<S extends Sql>(client: S): S {
  return withUnsafe(
    client,
    (unsafe, target) =>
      ((text: string, ...rest: unknown[]) =>
        tracedQuery(
          (unsafe as (...args: unknown[]) => PendingQuery<Row[]>).call(target, text, ...rest),
          text,
        )) as Unsafe,
  );
}

export function tracePglite(client: PGlite): PGlite {
  return wrapPglite(client, traceStatement);
}

function tracedQuery<Q extends object>(query: Q, text: string): Q {
  const proxy: Q = new Proxy(query, {
    get(target, property) {
      const value = Reflect.get(target, property, target);
      if (property === 'then') {
        const then = value as (resolve: (v: unknown) => void, reject: (e: unknown) => void) => unknown;
        const run = () =>
          new Promise<unknown>((resolve, reject) => {
            then.call(target, resolve, reject);
          });
        return (onFulfilled?: (v: unknown) => unknown, onRejected?: (e: unknown) => unknown) =>
          traceStatement(text, run).then(onFulfilled, onRejected);
      }
      if (typeof value !== 'function') return value;
      // Chained modifiers (`values()`, `raw()`) return the query itself: keep returning the proxy.
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        return result === target ? proxy : result;
      };
    },
  });
  return proxy;
}
