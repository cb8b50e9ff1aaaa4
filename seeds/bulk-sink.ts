/**
 * Bulk writes for the scale seed: multi-row INSERTs of literal rows (2,000 rows per statement,
 * no parameter limit), on PostgreSQL and PGlite alike. Rows are drizzle insert objects; columns
 * are mapped and typed from the table definition.
 *
 * Why not COPY: postgres.js 3.4's `.writable()` never settles when the server refuses a COPY
 * (a bad row or foreign key leaves the seed hanging without an error), and literal multi-row
 * INSERTs already write ~50k rows/s here, so a 100k-child city seeds in about a minute.
 */
import { getTableColumns, getTableName, sql, type Table } from 'drizzle-orm';
import type { Db } from '../src/db';

export interface BulkSink {
  /** Writes the rows (all with the same keys) and resolves when they are stored. */
  write<T extends Table>(table: T, rows: T['$inferInsert'][]): Promise<void>;
  close(): Promise<void>;
}

export function bulkSink(db: Db, rowsPerStatement = 2000): BulkSink {
  return {
    async write(table, rows) {
      if (rows.length === 0) return;
      const all = getTableColumns(table);
      const keys = Object.keys(rows[0]!).filter((k) => all[k]);
      const columns = keys.map((k) => all[k]!);
      const head = `insert into "${getTableName(table)}" (${columns.map((c) => `"${c.name}"`).join(', ')}) values `;
      for (let i = 0; i < rows.length; i += rowsPerStatement) {
        const values = rows
          .slice(i, i + rowsPerStatement)
          .map(
            (row) =>
              `(${keys.map((k, j) => literal((row as Record<string, unknown>)[k], columns[j]!.dataType, columns[j]!.columnType)).join(', ')})`,
          );
        await db.execute(sql.raw(head + values.join(',\n')));
      }
    },
    async close() {},
  };
}

/** A SQL literal; the column's type gives it meaning (arrays as '{…}', json as text). */
function literal(value: unknown, dataType: string, columnType: string): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  let text: string;
  if (value instanceof Date) text = value.toISOString();
  else if (dataType === 'json' || columnType === 'PgJsonb') text = JSON.stringify(value);
  else if (dataType === 'array' || Array.isArray(value))
    text = `{${(value as unknown[]).map((v) => (v === null ? 'NULL' : `"${String(v).replace(/["\\]/g, '\\$&')}"`)).join(',')}}`;
  else text = String(value);
  return `'${text.replace(/'/g, "''")}'`;
}
