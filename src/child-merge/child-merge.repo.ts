/**
 * SQL of merging two child records, the ledger that makes a merge reversible, and the proposals
 * a second person approves. Every row a merge moves is written to `child_merge_moves` by the
 * statement that moves it, so the ledger cannot disagree with what was moved.
 */
import { and, asc, eq, gt, or, sql, type SQL } from 'drizzle-orm';
import { childMergeMoves, childMergeProposals, childMerges, children } from '../../schema';
import { rowsOf, type DbOrTx } from '../db';

export type ChildMergeRow = typeof childMerges.$inferSelect;
export type ProposalRow = typeof childMergeProposals.$inferSelect;
export type NewProposalRow = typeof childMergeProposals.$inferInsert;

/**
 * Tables a merge never rewrites: their rows keep the id they were written with (the access audit
 * records what was disclosed about which id; the merge history and proposals name the records as
 * they were; the outbox is what was sent).
 */
export const APPEND_ONLY_TABLES: ReadonlySet<string> = new Set([
  'access_audit',
  'child_merges',
  'child_merge_proposals',
  'outbox',
]);

/** A (table, child id column) a merge moves, with the table's one-column primary key. */
interface MovableColumn {
  table_name: string;
  column_name: string;
  pk_name: string;
  pk_type: string;
}

/**
 * Every column holding a child id (`child_id`, `*_child_id`) outside `children` and the
 * append-only tables, found from the catalogue so a module added later cannot be forgotten. A
 * table without a one-column primary key could not be put back exactly: that fails loudly here.
 */
async function movableColumns(tx: DbOrTx): Promise<MovableColumn[]> {
  const found = rowsOf<MovableColumn & { pk_name: string | null }>(
    await tx.execute(sql`
    select c.table_name, c.column_name, pk.attname as pk_name, format_type(pk.atttypid, pk.atttypmod) as pk_type
    from information_schema.columns c
    left join pg_index i on i.indrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass
      and i.indisprimary and array_length(i.indkey::int2[], 1) = 1
    left join pg_attribute pk on pk.attrelid = i.indrelid and pk.attnum = i.indkey[0]
    where c.table_schema = current_schema() and c.data_type = 'uuid'
      and (c.column_name = 'child_id' or c.column_name like '%\\_child\\_id' escape '\\')
      and c.table_name <> 'children'
    order by c.table_name, c.column_name`),
  );
  return found
    .filter((c) => !APPEND_ONLY_TABLES.has(c.table_name))
    .map((c) => {
      if (!c.pk_name)
        throw new Error(`Invariant failed: ${c.table_name} has no one-column primary key to undo a merge by`);
      return c as MovableColumn;
    });
}

/**
 * Moves every row that points at `fromId` to `intoId`, redirects the old record, lets the survivor
 * take the identifiers it lacked, and records every one of those changes in the ledger. The caller
 * holds both children rows locked. Returns the merge's id.
 */
export async function mergeInto(
  tx: DbOrTx,
  fromId: string,
  intoId: string,
  mergedBy: string,
  reason: string,
): Promise<string> {
  const [merge] = await tx
    .insert(childMerges)
    .values({ fromChildId: fromId, intoChildId: intoId, mergedBy, reason })
    .returning({ id: childMerges.id });
  const mergeId = merge!.id;
  for (const c of await movableColumns(tx)) {
    const table = sql.identifier(c.table_name);
    const column = sql.identifier(c.column_name);
    await tx.execute(sql`
      with moved as (
        update ${table} set ${column} = ${intoId} where ${column} = ${fromId}
        returning ${sql.identifier(c.pk_name)}::text as row_id
      )
      insert into ${childMergeMoves} (merge_id, table_name, column_name, row_id, from_value, to_value)
      select ${mergeId}, ${c.table_name}, ${c.column_name}, row_id, ${fromId}, ${intoId} from moved`);
  }
  const [from] = await tx.select().from(children).where(eq(children.id, fromId));
  const [into] = await tx.select().from(children).where(eq(children.id, intoId));
  // A Liquid Logic person id names one record: it moves to a survivor that has none.
  const movesLl = Boolean(from!.liquidLogicPersonId) && !into!.liquidLogicPersonId;
  const fromChanges: Record<string, [string | null, string | null]> = { merged_into: [null, intoId] };
  if (movesLl) fromChanges.liquid_logic_person_id = [from!.liquidLogicPersonId, null];
  // The surviving record takes identifiers it lacked, now that the old record no longer holds them.
  const intoChanges: Record<string, [string | null, string | null]> = {};
  if (!into!.nhsNumber && from!.nhsNumber) {
    intoChanges.nhs_number = [null, from!.nhsNumber];
    if (from!.nhsNumberTraced && !into!.nhsNumberTraced) intoChanges.nhs_number_traced = ['false', 'true'];
    // A number taken from the old record keeps its trace's provenance.
    if (from!.nhsNumberTracedAt) intoChanges.nhs_number_traced_at = [null, from!.nhsNumberTracedAt.toISOString()];
    if (from!.nhsNumberTracedBy) intoChanges.nhs_number_traced_by = [null, from!.nhsNumberTracedBy];
    if (from!.nhsNumberTraceScore !== null)
      intoChanges.nhs_number_trace_score = [null, String(from!.nhsNumberTraceScore)];
    if (from!.nhsNumberTraceSource) intoChanges.nhs_number_trace_source = [null, from!.nhsNumberTraceSource];
  }
  // One child: a record PDS holds as restricted keeps the survivor's address hidden too.
  if (from!.addressRestricted && !into!.addressRestricted) intoChanges.address_restricted = ['false', 'true'];
  if (!into!.upn && from!.upn) intoChanges.upn = [null, from!.upn];
  if (movesLl) intoChanges.liquid_logic_person_id = [null, from!.liquidLogicPersonId];
  // The old record stops being live first: the live-identifier unique indexes then let the survivor take them.
  await setChildColumns(tx, mergeId, fromId, fromChanges);
  await setChildColumns(tx, mergeId, intoId, intoChanges);
  return mergeId;
}

/** Sets columns of one children row to new values (text, cast to each column's type) and records each in the ledger. */
async function setChildColumns(
  tx: DbOrTx,
  mergeId: string,
  childId: string,
  changes: Record<string, [string | null, string | null]>,
): Promise<void> {
  const entries = Object.entries(changes);
  if (entries.length === 0) return;
  const types = await columnTypes(tx, 'children');
  const sets = entries.map(
    // Sent as text and cast by the server: postgres.js serialises a parameter by the type the
    // statement gives it, and its boolean serialiser turns the string 'true' into false.
    ([column, [, to]]) => sql`${sql.identifier(column)} = ${to}::text::${sql.raw(types.get(column)!)}`,
  );
  await tx.execute(
    sql`update ${children} set ${sql.join(sets, sql`, `)}, updated_at = now(), version = version + 1 where id = ${childId}`,
  );
  await tx.insert(childMergeMoves).values(
    entries.map(([column, [from, to]]) => ({
      mergeId,
      tableName: 'children',
      columnName: column,
      rowId: childId,
      fromValue: from,
      toValue: to,
    })),
  );
}

/** Each column's SQL type, from the catalogue (never from input): the ledger's text is cast back with it. */
async function columnTypes(tx: DbOrTx, table: string): Promise<Map<string, string>> {
  const rows = rowsOf<{ attname: string; type: string }>(
    await tx.execute(sql`
    select attname, format_type(atttypid, atttypmod) as type from pg_attribute
    where attrelid = (quote_ident(current_schema()) || '.' || quote_ident(${table}))::regclass and attnum > 0 and not attisdropped`),
  );
  return new Map(rows.map((r) => [r.attname, r.type]));
}

/** What one (table, column) of the ledger holds for a merge, and how many of those rows still hold the merge's value. */
export interface LedgerGroup {
  tableName: string;
  columnName: string;
  /** Ledger rows, in the order they were written. */
  seqs: number[];
}

export async function ledgerGroups(tx: DbOrTx, mergeId: string): Promise<LedgerGroup[]> {
  const rows = await tx
    .select({ seq: childMergeMoves.seq, tableName: childMergeMoves.tableName, columnName: childMergeMoves.columnName })
    .from(childMergeMoves)
    .where(eq(childMergeMoves.mergeId, mergeId))
    .orderBy(asc(childMergeMoves.seq));
  const groups = new Map<string, LedgerGroup>();
  for (const r of rows) {
    const key = `${r.tableName}.${r.columnName}`;
    const group = groups.get(key) ?? { tableName: r.tableName, columnName: r.columnName, seqs: [] };
    group.seqs.push(r.seq);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/**
 * Puts back the ledger rows `seqs` of one (table, column): each row whose column still holds the
 * value the merge wrote gets the value it had before. Returns how many were put back; fewer than
 * asked means a row was since deleted or changed, and the caller refuses the whole undo.
 */
export async function revert(
  tx: DbOrTx,
  mergeId: string,
  group: LedgerGroup,
  seqs: readonly number[],
): Promise<number> {
  const types = await columnTypes(tx, group.tableName);
  const pk = await primaryKey(tx, group.tableName);
  const type = sql.raw(types.get(group.columnName)!);
  const table = sql.identifier(group.tableName);
  const column = sql.identifier(group.columnName);
  const result = await tx.execute(sql`
    update ${table} t set ${column} = m.from_value::${type}
    from ${childMergeMoves} m
    where m.merge_id = ${mergeId} and m.seq in (${sql.join(
      seqs.map((s) => sql`${s}`),
      sql`, `,
    )})
      and t.${sql.identifier(pk.name)} = m.row_id::${sql.raw(pk.type)}
      and t.${column} is not distinct from m.to_value::${type}
    returning 1`);
  return rowsOf(result).length;
}

async function primaryKey(tx: DbOrTx, table: string): Promise<{ name: string; type: string }> {
  const [pk] = rowsOf<{ name: string; type: string }>(
    await tx.execute(sql`
    select a.attname as name, format_type(a.atttypid, a.atttypmod) as type
    from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
    where i.indrelid = (quote_ident(current_schema()) || '.' || quote_ident(${table}))::regclass and i.indisprimary`),
  );
  if (!pk) throw new Error(`Invariant failed: ${table} has no primary key`);
  return pk;
}

export async function lockMerge(tx: DbOrTx, id: string): Promise<ChildMergeRow | null> {
  const [row] = await tx.select().from(childMerges).where(eq(childMerges.id, id)).for('update');
  return row ?? null;
}

export async function markUndone(tx: DbOrTx, id: string, by: string, reason: string, at: Date): Promise<ChildMergeRow> {
  const [row] = await tx
    .update(childMerges)
    .set({ undoneAt: at, undoneBy: by, undoReason: reason })
    .where(eq(childMerges.id, id))
    .returning();
  return row!;
}

/** The two children rows, locked in id order (as the merge locks them, so the two cannot deadlock). */
export async function lockChildren(
  tx: DbOrTx,
  ids: readonly string[],
): Promise<{ id: string; merged_into: string | null; nhs_number: string | null }[]> {
  return rowsOf(
    await tx.execute(
      sql`select id, merged_into, nhs_number from ${children} where id in (${sql.join(
        ids.map((id) => sql`${id}`),
        sql`, `,
      )}) order by id for update`,
    ),
  );
}

export async function insertProposal(tx: DbOrTx, row: NewProposalRow): Promise<ProposalRow> {
  const [created] = await tx.insert(childMergeProposals).values(row).returning();
  return created!;
}

/** A pending proposal naming the same two records, either way round. */
export async function findPendingForPair(tx: DbOrTx, a: string, b: string): Promise<ProposalRow | null> {
  const [row] = await tx
    .select()
    .from(childMergeProposals)
    .where(
      and(
        eq(childMergeProposals.status, 'pending'),
        or(
          and(eq(childMergeProposals.fromChildId, a), eq(childMergeProposals.intoChildId, b)),
          and(eq(childMergeProposals.fromChildId, b), eq(childMergeProposals.intoChildId, a)),
        ),
      ),
    );
  return row ?? null;
}

export async function lockProposal(tx: DbOrTx, id: string): Promise<ProposalRow | null> {
  const [row] = await tx.select().from(childMergeProposals).where(eq(childMergeProposals.id, id)).for('update');
  return row ?? null;
}

export async function decideProposal(
  tx: DbOrTx,
  id: string,
  decision: Pick<ProposalRow, 'status' | 'decidedBy' | 'decidedAt' | 'decisionReason' | 'mergeId'>,
): Promise<ProposalRow> {
  const [row] = await tx.update(childMergeProposals).set(decision).where(eq(childMergeProposals.id, id)).returning();
  return row!;
}

/** Marks the proposal whose approval performed the merge, if any (a Liquid Logic merge has none), as undone. */
export async function markProposalUndone(tx: DbOrTx, mergeId: string): Promise<void> {
  await tx.update(childMergeProposals).set({ status: 'undone' }).where(eq(childMergeProposals.mergeId, mergeId));
}

/** Proposals with a status, oldest first, after a (proposedAt, id) keyset cursor. */
export async function listProposals(
  db: DbOrTx,
  status: string,
  after: { proposedAt: Date; id: string } | null,
  limit: number,
): Promise<ProposalRow[]> {
  const p = childMergeProposals;
  const afterKey: SQL | undefined = after
    ? or(gt(p.proposedAt, after.proposedAt), and(eq(p.proposedAt, after.proposedAt), gt(p.id, after.id)))
    : undefined;
  return db
    .select()
    .from(p)
    .where(and(eq(p.status, status), afterKey))
    .orderBy(asc(p.proposedAt), asc(p.id))
    .limit(limit);
}
