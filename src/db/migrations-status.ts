/**
 * How many of the repository's migrations the database has not applied yet: the drizzle journal
 * (schema/migrations/meta/_journal.json) against the rows of drizzle.__drizzle_migrations.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { migrationsFolder, rowsOf, type Db } from './database';

export function migrationCount(folder = migrationsFolder): number {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
  return journal.entries.length;
}

export async function pendingMigrations(db: Db, folder = migrationsFolder): Promise<number> {
  let applied = 0;
  try {
    const rows = await db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    applied = Number(rowsOf<{ n: number }>(rows)[0]?.n ?? 0);
  } catch (error) {
    // No drizzle schema yet: nothing applied. Anything else (no connection) is the caller's to report.
    if (
      (error as { cause?: { code?: string } }).cause?.code !== '3F000' &&
      (error as { cause?: { code?: string } }).cause?.code !== '42P01'
    )
      throw error;
  }
  return Math.max(0, migrationCount(folder) - applied);
}
