/**
 * A postgres.js client with its `unsafe` (the one call drizzle sends every statement through)
 * replaced, in the client itself and in every transaction and savepoint client it hands out.
 */
import type { Sql, TransactionSql } from 'postgres';

export type Unsafe = Sql['unsafe'];
type AnySql = Sql | TransactionSql;

export function withUnsafe<S extends AnySql>(client: S, replace: (unsafe: Unsafe, target: AnySql) => Unsafe): S {
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (property === 'unsafe') return replace(value as Unsafe, target);
      // A transaction or savepoint hands its callback a client of its own: it gets the same rule.
      if (property === 'begin' || property === 'savepoint') {
        const open = value as (...args: unknown[]) => unknown;
        return (...args: unknown[]) =>
          open.apply(
            target,
            args.map((arg) =>
              typeof arg === 'function'
                ? (inner: TransactionSql) => (arg as (c: TransactionSql) => unknown)(withUnsafe(inner, replace))
                : arg,
            ),
          );
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
