/**
 * Sees every SQL statement a database handle sends, for the N+1 test and the benchmark's
 * "statements per request". postgres.js has its own `debug` hook; PGlite has none, so its client
 * is wrapped: `query`/`exec` are counted, and a transaction counts its BEGIN and COMMIT like the
 * wire protocol would, so both drivers report comparable numbers.
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';

/** Called once per statement with its SQL text (parameters are never passed: they hold data). */
export type QueryListener = (statement: string) => void;

export function observePglite(client: PGlite, onQuery: QueryListener): PGlite {
  return new Proxy(client, {
    get(target, prop) {
      if (prop === 'query' || prop === 'exec') return counted(target, prop, onQuery);
      if (prop === 'transaction') {
        return async <T>(fn: (tx: Transaction) => Promise<T>) => {
          onQuery('begin');
          try {
            return await target.transaction((tx) => fn(observeTransaction(tx, onQuery)));
          } finally {
            onQuery('commit');
          }
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function observeTransaction(tx: Transaction, onQuery: QueryListener): Transaction {
  return new Proxy(tx, {
    get(target, prop) {
      if (prop === 'query' || prop === 'exec') return counted(target, prop, onQuery);
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function counted(target: PGlite | Transaction, prop: 'query' | 'exec', onQuery: QueryListener) {
  const method = (target[prop] as (...args: unknown[]) => unknown).bind(target);
  return (...args: unknown[]) => {
    onQuery(String(args[0]));
    return method(...args);
  };
}
