/**
 * A fresh database per test file: in-memory PGlite by default, or — when TEST_DATABASE_URL is set
 * (CI) — a new database created on that server and dropped afterwards, so files run in parallel
 * without seeing each other's rows.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type Database } from '../../src/db';

export interface TestDatabase extends Database {
  /** A URL to the same database, for a second hub instance (Postgres only). */
  readonly url: string | null;
  destroy(): Promise<void>;
}

export const testServerUrl = process.env.TEST_DATABASE_URL || null;

export interface CreateTestDatabaseOptions {
  /** Apply the migrations before handing the database over (default true; false for migration tests). */
  migrate?: boolean;
  /** Sees every SQL statement (the N+1 test counts them). */
  onQuery?: (statement: string) => void;
}

export async function createTestDatabase({
  migrate = true,
  onQuery,
}: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  if (!testServerUrl) {
    const database = await openDatabase({ pgliteDataDir: 'memory://', onQuery });
    if (migrate) await database.migrate();
    return { ...database, url: null, destroy: () => database.close() };
  }
  const name = `ehh_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(testServerUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = withDatabase(testServerUrl, name);
  const database = await openDatabase({ url, maxConnections: 10, onQuery });
  if (migrate) await database.migrate();
  return {
    ...database,
    url,
    async destroy() {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
