/**
 * Sees every SQL statement a database handle sends, for the N+1 test and the benchmark's
 * "statements per request". postgres.js has its own `debug` hook; PGlite has none, so its client
 * is wrapped: `query`/`exec` are counted, and a transaction counts its BEGIN and COMMIT like the
 * wire protocol would, so both drivers report comparable numbers. The same wrapping runs each
 * statement inside a trace span when tracing is on (src/observability/sql-tracing.ts).
 */
import type { PGlite, Transaction } from '@electric-sql/pglite';

/** Called once per statement with its SQL text (parameters are never passed: they hold data). */
export type QueryListener = (statement: string) => void;

/** Runs one statement, given its text: may observe or time it, must call `run` once. */
export type StatementWrapper = <T>(statement: string, run: () => Promise<T>) => Promise<T>;

export function observePglite(client: PGlite, onQuery: QueryListener): PGlite {
  return wrapPglite(
    client,
    (statement, run) => {
      onQuery(statement);
      return run();
    },
    onQuery,
  );
}

/** A PGlite client whose statements (transactions' included) go through `around`. */
export function wrapPglite(
  client: PGlite,
  around: StatementWrapper,
  onTransactionEdge?: (edge: 'begin' | 'commit') => void,
): PGlite {
  return new Proxy(client, {
    get(target, prop) {
      if (prop === 'query' || prop === 'exec') return wrapped(target, prop, around);
      if (prop === 'transaction') {
        return async <T>(fn: (tx: Transaction) => Promise<T>) => {
          onTransactionEdge?.('begin');
          try {
            return await target.transaction((tx) => fn(wrapTransaction(tx, around)));
          } finally {
            onTransactionEdge?.('commit');
          }
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function wrapTransaction(tx: Transaction, around: StatementWrapper): Transaction {
  return new Proxy(tx, {
    get(target, prop) {
      if (prop === 'query' || prop === 'exec') return wrapped(target, prop, around);
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function wrapped(target: PGlite | Transaction, prop: 'query' | 'exec', around: StatementWrapper) {
  const method = (target[prop] as (...args: unknown[]) => Promise<unknown>).bind(target);
  return (...args: unknown[]) => around(String(args[0]), () => method(...args));
}
