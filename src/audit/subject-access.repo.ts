/**
 * SQL of the subject-access export: every row the hub holds that names the child — in the hub's
 * own tables (those its schema defines), found by their uuid columns `child_id` or `*_child_id`,
 * so a module's new table is included without touching this file. A table the hub does not define
 * (made by hand, an import's staging table, another application's in the same schema) is never
 * exported, whatever its columns: the report answers only for what the hub holds.
 */
import { getTableName, is, sql } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import * as schema from '../../schema';
import { rowsOf, type DbOrTx } from '../db';

const HUB_TABLES: ReadonlySet<string> = new Set(
  Object.values(schema)
    .filter((v) => is(v, PgTable))
    .map((t) => getTableName(t as PgTable)),
);

/** Tables answered separately: the child rows themselves, and the audit (exported as history). */
const SEPARATE_TABLES = new Set(['children', 'access_audit']);

export type PlainRow = Record<string, unknown>;

/**
 * table → its child id columns, for every table that can hold rows about a child: with
 * `hubTablesOnly` (the report), only the hub's own; without (retention's deletion), every table,
 * so no copy of the child's data outlives its retention for want of being in the schema.
 */
export async function childIdColumns(db: DbOrTx, { hubTablesOnly = false } = {}): Promise<Map<string, string[]>> {
  const rows = rowsOf<{ table_name: string; column_name: string }>(
    await db.execute(sql`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and data_type = 'uuid'
      and (column_name = 'child_id' or column_name like '%\\_child\\_id' escape '\\')
    order by table_name, column_name`),
  );
  const byTable = new Map<string, string[]>();
  for (const { table_name, column_name } of rows) {
    if (SEPARATE_TABLES.has(table_name) || (hubTablesOnly && !HUB_TABLES.has(table_name))) continue;
    byTable.set(table_name, [...(byTable.get(table_name) ?? []), column_name]);
  }
  return byTable;
}

function idList(ids: readonly string[]) {
  return sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
}

/** Rows of `table` where any of its child id columns names one of the ids. */
export async function rowsNaming(
  db: DbOrTx,
  table: string,
  columns: readonly string[],
  ids: readonly string[],
): Promise<PlainRow[]> {
  const where = sql.join(
    columns.map((c) => sql`${sql.identifier(c)} in (${idList(ids)})`),
    sql` or `,
  );
  return rowsOf<PlainRow>(await db.execute(sql`select * from ${sql.identifier(table)} where ${where}`)).map(plain);
}

export async function childRows(db: DbOrTx, ids: readonly string[]): Promise<PlainRow[]> {
  return rowsOf<PlainRow>(
    await db.execute(sql`select * from children where id in (${idList(ids)}) order by created_at`),
  ).map(plain);
}

/** Driver values → JSON-safe values (bigint as string, timestamps as ISO strings). */
function plain(row: PlainRow): PlainRow {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toJson(v)]));
}

function toJson(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJson);
  return value;
}

/** Organisation id → name, for the ids given (a printable report names organisations, not ids). */
export async function organisationNames(db: DbOrTx, ids: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)].filter((id) =>
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id),
  );
  if (wanted.length === 0) return new Map();
  const rows = rowsOf<{ id: string; name: string }>(
    await db.execute(sql`select id, name from organisations where id in (${idList(wanted)})`),
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}
