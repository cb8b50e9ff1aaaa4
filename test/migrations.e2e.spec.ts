/**
 * Migrations on the driver under test (PGlite, or Postgres with TEST_DATABASE_URL): a fresh
 * database migrates, migrating again changes nothing, and /readyz says ready only once the
 * migrations are in and the database answers. Plus PGlite on disk: data survives a restart.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { children, organisations } from '../schema';
import { migrationsFolder, openDatabase, rowsOf, type Database } from '../src/db';
import { pendingMigrations } from '../src/db/migrations-status';
import { createTestDatabase, type TestDatabase } from './support/database';
import { startTestHub, type TestHub } from './support/hub';

const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
  entries: { tag: string }[];
};

async function applied(database: Database): Promise<{ hash: string; created_at: string }[]> {
  return rowsOf(
    await database.db.execute(
      sql`select hash, created_at::text as created_at from drizzle.__drizzle_migrations order by id`,
    ),
  );
}

async function tables(database: Database): Promise<string[]> {
  const rows = rowsOf<{ table_name: string }>(
    await database.db.execute(sql`
    select table_name from information_schema.tables where table_schema = current_schema() order by table_name`),
  );
  return rows.map((r) => r.table_name);
}

describe(`migrations on ${process.env.TEST_DATABASE_URL ? 'Postgres' : 'PGlite'}`, () => {
  let database: TestDatabase;
  let t: TestHub;
  const readyz = async () => {
    const res = await fetch(t.url.replace(/\/graphql$/, '/readyz'));
    return { status: res.status, body: await res.json() };
  };

  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
    t = await startTestHub({ database });
  });
  afterAll(async () => {
    await t.close();
    await database.destroy().catch(() => {});
  });

  it('a fresh database has no tables and /readyz answers 503', async () => {
    expect(await tables(database)).toEqual([]);
    expect(await database.isReady()).toBe(false);
    expect(await pendingMigrations(database.db)).toBe(journal.entries.length);
    expect(await readyz()).toEqual({ status: 503, body: { status: 'not ready', database: database.driver } });
  });

  it('migrates a fresh database, and /readyz then answers 200', async () => {
    await database.migrate();
    expect(await applied(database)).toHaveLength(journal.entries.length);
    expect(await pendingMigrations(database.db)).toBe(0);
    expect(await tables(database)).toEqual(
      expect.arrayContaining([
        'organisations',
        'practitioners',
        'children',
        'family_members',
        'household_links',
        'involvements',
        'child_merges',
        'access_audit',
        'case_events',
      ]),
    );
    expect(await readyz()).toEqual({ status: 200, body: { status: 'ready', database: database.driver } });
  });

  it('migrating again is a no-op that keeps the data', async () => {
    await database.db.insert(organisations).values({ name: 'Kept', kind: 'school', cluster: 'north' });
    const before = await applied(database);
    const tablesBefore = await tables(database);
    await database.migrate();
    await database.migrate();
    expect(await applied(database)).toEqual(before);
    expect(await tables(database)).toEqual(tablesBefore);
    expect(await database.db.$count(organisations)).toBe(1);
  });

  it('the partial unique index allows one live record per NHS number, and any number of merged ones', async () => {
    const values = { givenName: 'A', familyName: 'B', matchKey: 'b|a||', nhsNumber: '9434765919' };
    const [live] = await database.db.insert(children).values(values).returning();
    await expect(database.db.insert(children).values(values)).rejects.toThrow();
    await database.db.insert(children).values({ ...values, mergedInto: live!.id });
    await database.db.insert(children).values({ ...values, mergedInto: live!.id });
    expect(await database.db.$count(children)).toBe(3);
  });

  it('/readyz answers 503 once the database is closed', async () => {
    await database.close();
    expect(await readyz()).toMatchObject({ status: 503, body: { status: 'not ready' } });
  });
});

// Driver-specific, so only in the PGlite run; creating a data directory on disk is slow (initdb).
describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))('embedded PGlite on disk', () => {
  it('migrates a new data directory, keeps rows across a restart, and does not re-run migrations', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ehh-pglite-')), 'data');
    const first = await openDatabase({ pgliteDataDir: dir });
    await first.migrate();
    const migrated = await applied(first);
    await first.db.insert(organisations).values({ name: 'Persisted', kind: 'health' });
    await first.close();

    const second = await openDatabase({ pgliteDataDir: dir });
    try {
      expect(await second.isReady()).toBe(true);
      await second.migrate();
      expect(await applied(second)).toEqual(migrated);
      expect((await second.db.select().from(organisations)).map((o) => o.name)).toEqual(['Persisted']);
    } finally {
      await second.close();
    }
  }, 180_000);
});
