/**
 * SQL of retention: children due for review, legal holds, and the generic deletion of a child's
 * case data — every table naming the child (found from the catalogue, so later modules are
 * included), rows referencing those rows (found from foreign keys), then the child rows, then
 * the adults only they referenced. The access audit is never touched.
 */
import { and, asc, eq, gt, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { children, involvements, legalHolds } from '../../schema';
import { rowsOf, type DbOrTx } from '../db';
import { invariant } from '../errors';
import { childIdColumns } from './subject-access.repo';

export type LegalHoldRow = typeof legalHolds.$inferSelect;

/** Tables retention never deletes from: the audit trail outlives the case data. */
export const NEVER_DELETED = new Set(['access_audit']);

export interface Candidate {
  id: string;
  birthDate: string;
}

/** Live children born (or due) on or before the date, by id after a keyset. */
export async function candidates(
  db: DbOrTx,
  bornOnOrBefore: string,
  afterId: string | null,
  limit: number,
): Promise<Candidate[]> {
  const birth = sql<string>`coalesce(${children.dateOfBirth}, ${children.expectedDate})`;
  const rows = await db
    .select({ id: children.id, birthDate: birth })
    .from(children)
    .where(
      and(
        isNull(children.mergedInto),
        sql`${birth} <= ${bornOnOrBefore}`,
        afterId ? gt(children.id, afterId) : undefined,
      ),
    )
    .orderBy(asc(children.id))
    .limit(limit);
  return rows.map((r) => ({ id: r.id, birthDate: String(r.birthDate).slice(0, 10) }));
}

export async function involvementKinds(db: DbOrTx, ids: readonly string[]): Promise<Set<string>> {
  const rows = await db
    .selectDistinct({ kind: involvements.kind })
    .from(involvements)
    .where(inArray(involvements.childId, [...ids]));
  return new Set(rows.map((r) => r.kind));
}

export async function hasActiveHold(db: DbOrTx, ids: readonly string[]): Promise<boolean> {
  const [row] = await db
    .select({ id: legalHolds.id })
    .from(legalHolds)
    .where(and(inArray(legalHolds.childId, [...ids]), isNull(legalHolds.liftedAt)))
    .limit(1);
  return Boolean(row);
}

function idList(ids: readonly string[]): SQL {
  return sql.join(
    ids.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
}

/** A row of a table whose child id columns are these names one of the children. */
function namingChildren(columns: readonly string[], ids: readonly string[]): SQL {
  return sql.join(
    columns.map((c) => sql`${sql.identifier(c)} in (${idList(ids)})`),
    sql` or `,
  );
}

/** table → rows naming the children, for every table with a child id column (audit excluded). */
export async function countRows(db: DbOrTx, ids: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [table, columns] of await childIdColumns(db)) {
    if (NEVER_DELETED.has(table)) continue;
    const [row] = rowsOf<{ n: number }>(
      await db.execute(
        sql`select count(*)::int as n from ${sql.identifier(table)} where ${namingChildren(columns, ids)}`,
      ),
    );
    if (Number(row?.n ?? 0) > 0) counts[table] = Number(row!.n);
  }
  const adults = await adultsOnlyOf(db, ids);
  if (adults.length > 0) counts[ADULTS] = adults.length;
  return counts;
}

/**
 * Parents and carers (family_members) name no child: they are reached through rows that do —
 * household links, consents they gave. When the children go, an adult whom nothing else
 * references would be personal data kept with no purpose, so it goes too; an adult still linked
 * to a child who is kept (a sibling not yet due) stays.
 */
const ADULTS = 'family_members';

/** Every row naming the children (any child id column), and the foreign keys into family_members. */
async function adultReferences(
  db: DbOrTx,
  ids: readonly string[],
): Promise<{ fk: ForeignKey; namesChildren: SQL | null }[]> {
  const columns = await childIdColumns(db);
  return (await referencing(db, ADULTS)).map((fk) => {
    const own = columns.get(fk.table);
    return { fk, namesChildren: own ? namingChildren(own, ids) : null };
  });
}

/** Adults referenced by rows naming the children and by no other row. */
async function adultsOnlyOf(db: DbOrTx, ids: readonly string[]): Promise<string[]> {
  const references = await adultReferences(db, ids);
  const linked = references
    .filter((r) => r.namesChildren !== null)
    .map(
      ({ fk, namesChildren }) =>
        sql`select ${sql.identifier(fk.column)} as id from ${sql.identifier(fk.table)} where (${namesChildren}) and ${sql.identifier(fk.column)} is not null`,
    );
  if (linked.length === 0) return [];
  // "is not true": a row whose child columns are null names no child.
  const elsewhere = references.map(
    ({ fk, namesChildren }) => sql`exists (select 1 from ${sql.identifier(fk.table)} r
    where r.${sql.identifier(fk.column)} = candidate.id${namesChildren ? sql` and (${namesChildren}) is not true` : sql``})`,
  );
  return rowsOf<{ id: string }>(
    await db.execute(sql`
    select distinct candidate.id from (${sql.join(linked, sql` union `)}) candidate
    where not (${sql.join(elsewhere, sql` or `)})`),
  ).map((r) => r.id);
}

interface ForeignKey {
  table: string;
  column: string;
  refColumn: string;
}

async function referencing(db: DbOrTx, table: string): Promise<ForeignKey[]> {
  return rowsOf<{ table: string; column: string; ref_column: string }>(
    await db.execute(sql`
    select c.conrelid::regclass::text as "table", a.attname as "column", af.attname as ref_column
    from pg_constraint c
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    join pg_attribute af on af.attrelid = c.confrelid and af.attnum = c.confkey[1]
    where c.contype = 'f' and c.confrelid = ${table}::regclass and array_length(c.conkey, 1) = 1`),
  ).map((r) => ({ table: r.table.replace(/"/g, ''), column: r.column, refColumn: r.ref_column }));
}

/** Deletes rows of `table` matching `where`, after the rows that reference them (depth-first). */
async function deleteCascading(
  tx: DbOrTx,
  table: string,
  where: SQL,
  counts: Record<string, number>,
  fks: Map<string, Promise<ForeignKey[]>>,
  depth = 0,
): Promise<void> {
  invariant(!NEVER_DELETED.has(table), `retention must never delete from ${table}`);
  invariant(depth < 8, `foreign keys nest too deep under ${table}`);
  if (!fks.has(table)) fks.set(table, referencing(tx, table));
  for (const fk of await fks.get(table)!) {
    if (fk.table === table) continue;
    await deleteCascading(
      tx,
      fk.table,
      sql`${sql.identifier(fk.column)} in (select ${sql.identifier(fk.refColumn)} from ${sql.identifier(table)} where ${where})`,
      counts,
      fks,
      depth + 1,
    );
  }
  const [row] = rowsOf<{ n: number }>(
    await tx.execute(sql`
    with gone as (delete from ${sql.identifier(table)} where ${where} returning 1) select count(*)::int as n from gone`),
  );
  const n = Number(row?.n ?? 0);
  if (n > 0) counts[table] = (counts[table] ?? 0) + n;
}

/** Deletes the children's case data and child rows; returns rows deleted per table. */
export async function deleteChildData(tx: DbOrTx, ids: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const fks = new Map<string, Promise<ForeignKey[]>>();
  const adults = await adultsOnlyOf(tx, ids);
  for (const [table, columns] of await childIdColumns(tx)) {
    if (NEVER_DELETED.has(table)) continue;
    await deleteCascading(tx, table, sql`(${namingChildren(columns, ids)})`, counts, fks);
  }
  await deleteCascading(tx, 'children', sql`id in (${idList(ids)})`, counts, fks);
  if (adults.length > 0) {
    // Never cascading: a row referencing the adult that appeared since the check (a consent for a
    // sibling who is kept) must stop the deletion (its foreign key fails it), not be deleted.
    const [row] = rowsOf<{ n: number }>(
      await tx.execute(sql`
      with gone as (delete from ${sql.identifier(ADULTS)} where id in (${idList(adults)}) returning 1) select count(*)::int as n from gone`),
    );
    if (Number(row?.n ?? 0) > 0) counts[ADULTS] = Number(row!.n);
  }
  return counts;
}

export async function insertHold(db: DbOrTx, hold: typeof legalHolds.$inferInsert): Promise<LegalHoldRow> {
  const [row] = await db.insert(legalHolds).values(hold).returning();
  return row!;
}

/** Lifts the hold if still in force; null when it was already lifted or does not exist. */
export async function liftHold(
  db: DbOrTx,
  id: string,
  lift: { at: Date; subject: string; reason: string },
): Promise<LegalHoldRow | null> {
  const [row] = await db
    .update(legalHolds)
    .set({ liftedAt: lift.at, liftedBySubject: lift.subject, liftReason: lift.reason })
    .where(and(eq(legalHolds.id, id), isNull(legalHolds.liftedAt)))
    .returning();
  return row ?? null;
}

export async function findHold(db: DbOrTx, id: string): Promise<LegalHoldRow | null> {
  const [row] = await db.select().from(legalHolds).where(eq(legalHolds.id, id));
  return row ?? null;
}

/** Holds oldest first by (placedAt, id) after a keyset; only those in force unless `includeLifted`. */
export async function listHolds(
  db: DbOrTx,
  q: {
    childIds: readonly string[] | null;
    includeLifted: boolean;
    after: { placedAt: Date; id: string } | null;
    limit: number;
  },
): Promise<LegalHoldRow[]> {
  return db
    .select()
    .from(legalHolds)
    .where(
      and(
        q.childIds ? inArray(legalHolds.childId, [...q.childIds]) : undefined,
        q.includeLifted ? undefined : isNull(legalHolds.liftedAt),
        q.after
          ? sql`(${legalHolds.placedAt}, ${legalHolds.id}) > (${q.after.placedAt.toISOString()}::timestamptz, ${q.after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(asc(legalHolds.placedAt), asc(legalHolds.id))
    .limit(q.limit);
}
