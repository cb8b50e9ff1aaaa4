/**
 * SQL of the subject-access export: every row the hub holds that names the child, found from the
 * catalogue (any uuid column `child_id` or `*_child_id`), so tables added by later modules are
 * included without touching this file — the same discovery `mergeInto` uses.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '../db';

/** Tables answered separately: the child rows themselves, and the audit (exported as history). */
const SEPARATE_TABLES = new Set(['children', 'access_audit']);

export type PlainRow = Record<string, unknown>;

/** table → its child id columns, for every table that can hold rows about a child. */
export async function childIdColumns(db: DbOrTx): Promise<Map<string, string[]>> {
  const rows = rowsOf<{ table_name: string; column_name: string }>(await db.execute(sql`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and data_type = 'uuid'
      and (column_name = 'child_id' or column_name like '%\\_child\\_id' escape '\\')
    order by table_name, column_name`));
  const byTable = new Map<string, string[]>();
  for (const { table_name, column_name } of rows) {
    if (SEPARATE_TABLES.has(table_name)) continue;
    byTable.set(table_name, [...(byTable.get(table_name) ?? []), column_name]);
  }
  return byTable;
}

function idList(ids: readonly string[]) {
  return sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `);
}

/** Rows of `table` where any of its child id columns names one of the ids. */
export async function rowsNaming(db: DbOrTx, table: string, columns: readonly string[], ids: readonly string[]): Promise<PlainRow[]> {
  const where = sql.join(columns.map((c) => sql`${sql.identifier(c)} in (${idList(ids)})`), sql` or `);
  return rowsOf<PlainRow>(await db.execute(sql`select * from ${sql.identifier(table)} where ${where}`)).map(plain);
}

export async function childRows(db: DbOrTx, ids: readonly string[]): Promise<PlainRow[]> {
  return rowsOf<PlainRow>(await db.execute(sql`select * from children where id in (${idList(ids)}) order by created_at`)).map(plain);
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
