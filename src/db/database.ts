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
import { namedStatements } from './named-statements';
import { observePglite, type QueryListener } from './query-observer';

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
  /** LISTEN on a channel; resolves to a function that stops listening. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  /** True when the database answers and the migrations have been applied. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgres:// URL; when absent, embedded PGlite is used. */
  url?: string;
  /** PGlite data directory, or `memory://` (default) for a throwaway database. */
  pgliteDataDir?: string;
  /** postgres.js pool size (default 10). */
  maxConnections?: number;
  /** Sees every SQL statement sent (N+1 test, benchmark statement counts); off by default. */
  onQuery?: QueryListener;
}

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  return options.url ? openPostgres(options.url, options.maxConnections ?? 10, options.onQuery) : openPglite(options.pgliteDataDir ?? 'memory://', options.onQuery);
}

async function openPglite(dataDir: string, onQuery?: QueryListener): Promise<Database> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  const db = drizzlePglite(onQuery ? observePglite(client, onQuery) : client, { schema }) as unknown as Db;
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
    close: () => client.close(),
  };
}

async function openPostgres(given: string, max: number, onQuery?: QueryListener): Promise<Database> {
  const { url, path } = postgresSocket(given);
  const client = postgres(url, { max, onnotice: () => {}, path, ...(onQuery ? { debug: (_connection: number, statement: string) => onQuery(statement) } : {}) });
  const db = drizzlePostgres(namedStatements(client), { schema }) as unknown as Db;
  return {
    db,
    driver: 'postgres',
    migrate: () => migratePostgres(drizzlePostgres(client, { schema }), { migrationsFolder }),
    async listen(channel, onPayload) {
      const { unlisten } = await client.listen(channel, (payload) => onPayload(payload));
      return unlisten;
    },
    async notify(channel, payload) {
      await client`select pg_notify(${channel}, ${payload})`;
    },
    isReady: () => migrationsApplied(db),
    close: () => client.end({ timeout: 5 }),
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

async function migrationsApplied(db: Db): Promise<boolean> {
  try {
    const rows = await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    return Number(rowsOf<{ n: number }>(rows)[0]?.n ?? 0) > 0;
  } catch {
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
