/**
 * One database handle for both drivers: embedded PGlite (default, and most tests) or a PostgreSQL
 * server through postgres.js when a URL is given. The same drizzle migrations run on both.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from '../../schema';
import { DatabaseHealth } from './health';
import { postgresListener, reconnectBackoff } from './listener';
import { namedStatements } from './named-statements';
import { observePglite, type QueryListener } from './query-observer';
import { tracePglite, tracePostgres } from '../observability/sql-tracing';
import { tracingEnabled } from '../observability/tracing';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction handle has the same query surface as the database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export const migrationsFolder = fileURLToPath(new URL('../../schema/migrations', import.meta.url));

export interface Database {
  readonly db: Db;
  readonly driver: 'pglite' | 'postgres';
  /** Applies pending drizzle-kit migrations; safe to call on every start. */
  migrate(): Promise<void>;
  /**
   * LISTEN on a channel; resolves to a function that stops listening. A lost connection is
   * re-established by itself; `onReconnect` is then called, as NOTIFYs sent meanwhile were lost.
   */
  listen(channel: string, onPayload: (payload: string) => void, onReconnect?: () => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  /** True when the database answers and the migrations have been applied. */
  isReady(): Promise<boolean>;
  /** Whether the server can be reached, as the last failures and probes say (always up for PGlite). */
  readonly health: DatabaseHealth;
  /** The connection pool's state now (null for PGlite, which has no connections). */
  poolStats(): PoolStats | null;
  close(): Promise<void>;
}

export interface PoolStats {
  max: number;
  /** Connections running a query, reserved (a transaction, a LISTEN), idle, or being opened. */
  busy: number;
  reserved: number;
  idle: number;
  connecting: number;
  /** Queries waiting for a connection. */
  waiting: number;
}

export interface OpenDatabaseOptions {
  /** postgres:// URL; when absent, embedded PGlite is used. */
  url?: string;
  /** PGlite data directory, or `memory://` (default) for a throwaway database. */
  pgliteDataDir?: string;
  /** postgres.js pool size (default 10). */
  maxConnections?: number;
  /**
   * Seconds to wait for the server to accept a connection (default 5). postgres.js waits 30, so
   * while the server was unreachable a request hung that long before failing.
   */
  connectTimeoutSeconds?: number;
  /** Sees every SQL statement sent (N+1 test, benchmark statement counts); off by default. */
  onQuery?: QueryListener;
}

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  return options.url
    ? openPostgres(
        options.url,
        { max: options.maxConnections ?? 10, connectTimeoutSeconds: options.connectTimeoutSeconds ?? 5 },
        options.onQuery,
      )
    : openPglite(options.pgliteDataDir ?? 'memory://', options.onQuery);
}

async function openPglite(dataDir: string, onQuery?: QueryListener): Promise<Database> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  const observed = onQuery ? observePglite(client, onQuery) : client;
  // Tracing is started before the database is opened (src/main.ts), or not at all.
  const db = drizzlePglite(tracingEnabled() ? tracePglite(observed) : observed, { schema }) as unknown as Db;
  return {
    db,
    driver: 'pglite',
    migrate: () => migratePglite(drizzlePglite(client, { schema }), { migrationsFolder }),
    async listen(channel, onPayload) {
      const unlisten = await client.listen(channel, onPayload);
      return () => unlisten();
    },
    async notify(channel, payload) {
      await client.query('select pg_notify($1, $2)', [channel, payload]);
    },
    isReady: () => migrationsApplied(db),
    // In the process: nothing to lose a connection to.
    health: new DatabaseHealth({ probe: async () => {} }),
    poolStats: () => null,
    close: () => client.close(),
  };
}

async function openPostgres(
  given: string,
  settings: { max: number; connectTimeoutSeconds: number },
  onQuery?: QueryListener,
): Promise<Database> {
  const { url, path } = postgresSocket(given);
  const client = postgres(url, {
    max: settings.max,
    connect_timeout: settings.connectTimeoutSeconds,
    backoff: reconnectBackoff,
    onnotice: () => {},
    path,
    ...(onQuery ? { debug: (_connection: number, statement: string) => onQuery(statement) } : {}),
  });
  const listener = postgresListener({ url, path, connectTimeoutSeconds: settings.connectTimeoutSeconds });
  const db = drizzlePostgres(namedStatements(tracingEnabled() ? tracePostgres(client) : client), {
    schema,
  }) as unknown as Db;
  const health = new DatabaseHealth({ probe: () => client`select 1` });
  return {
    db,
    driver: 'postgres',
    migrate: () => migratePostgres(drizzlePostgres(client, { schema }), { migrationsFolder }),
    listen: (channel, onPayload, onReconnect) => listener.listen(channel, { onPayload, onReconnect }),
    async notify(channel, payload) {
      await client`select pg_notify(${channel}, ${payload})`;
    },
    async isReady() {
      if (!health.available) return false;
      return migrationsApplied(db, (error) => health.noteError(error));
    },
    health,
    // From the patched postgres.js (patches/): the library keeps its pool queues private.
    poolStats: () => (client as unknown as { poolStats(): PoolStats }).poolStats(),
    async close() {
      health.close();
      await Promise.all([listener.close(), client.end({ timeout: 5 })]);
    },
  };
}

/**
 * libpq's way to name a Unix socket, `postgres://user@localhost/db?host=/var/run/postgresql`,
 * which postgres.js 3.4 would otherwise send to the server as a setting (and fail).
 */
export function postgresSocket(given: string): { url: string; path: string | undefined } {
  const url = new URL(given);
  const host = url.searchParams.get('host');
  if (!host?.startsWith('/')) return { url: given, path: undefined };
  url.searchParams.delete('host');
  return { url: url.toString(), path: `${host.replace(/\/$/, '')}/.s.PGSQL.${url.port || 5432}` };
}

async function migrationsApplied(db: Db, onError: (error: unknown) => void = () => {}): Promise<boolean> {
  try {
    const rows = await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    return Number(rowsOf<{ n: number }>(rows)[0]?.n ?? 0) > 0;
  } catch (error) {
    onError(error);
    return false;
  }
}

/** postgres.js returns an array; PGlite returns `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}

/** Postgres unique violation (23505), through drizzle's error wrapping. */
export function isUniqueViolation(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e && depth < 3; depth++) {
    if ((e as { code?: string }).code === '23505') return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
