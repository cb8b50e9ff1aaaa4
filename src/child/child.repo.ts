/** SQL of the master person index: lookups that follow merges, and inserts (merges: src/child-merge). */
import { and, asc, eq, gt, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { children, ehas } from '../../schema';
import { preparedOn, rowsOf, type DbOrTx } from '../db';
import {
  accessFactsFields,
  accessFactsParameters,
  scopedBy,
  toAccessFacts,
  type ChildAccessFacts,
  type RelationshipScope,
  type ScopedBy,
} from '../access/access.repo';
import { openEhaOf, openEhaWithPartsFields, type OpenEhaWithParts } from '../eha/eha.repo';

export type ChildRow = typeof children.$inferSelect;
export type NewChildRow = typeof children.$inferInsert;

// The front doors of the partner systems (health by NHS number, school MIS by UPN): prepared.
const liveByNhsNumber = preparedOn((db) =>
  db
    .select()
    .from(children)
    .where(and(eq(children.nhsNumber, sql.placeholder('nhsNumber')), isNull(children.mergedInto)))
    .prepare('live_child_by_nhs_number'),
);
const liveByUpn = preparedOn((db) =>
  db
    .select()
    .from(children)
    .where(and(eq(children.upn, sql.placeholder('upn')), isNull(children.mergedInto)))
    .prepare('live_child_by_upn'),
);

/** A front-door key: the partner systems look a child up by NHS number (health) or UPN (schools). */
export type FrontDoorKey = { nhsNumber: string } | { upn: string };

/**
 * The live child for a front-door key together with the caller's access facts for it, in ONE
 * statement: the lookup, then the decision, were two round trips on every partner request.
 */
export async function findLiveWithAccessFacts(
  db: DbOrTx,
  key: FrontDoorKey,
  scope: RelationshipScope,
  at: Date,
): Promise<{ row: ChildRow; facts: ChildAccessFacts } | null> {
  const [found] = await liveWithFacts[variant(key, scope)](db).execute(frontDoorParameters(key, scope, at));
  return found ? { row: found.child, facts: toAccessFacts(found.child.id, found) } : null;
}

/**
 * The same, carrying the child's open EHA with its parts (eha.repo `openEhaWithPartsFields`):
 * the school MIS lookup `child(upn){ openEha {…} }` in one read instead of two. The EHA is read
 * whatever the decision; the category guard decides whether any of it is shown.
 */
export async function findLiveWithAccessFactsAndOpenEha(
  db: DbOrTx,
  key: FrontDoorKey,
  scope: RelationshipScope,
  at: Date,
): Promise<{ row: ChildRow; facts: ChildAccessFacts; openEha: OpenEhaWithParts | null } | null> {
  const [found] = await liveWithFactsAndOpenEha[variant(key, scope)](db).execute(frontDoorParameters(key, scope, at));
  if (!found) return null;
  const { eha, leadContact, currentActions } = found;
  return {
    row: found.child,
    facts: toAccessFacts(found.child.id, found),
    openEha: eha ? { eha, leadContact, currentActions } : null,
  };
}

type KeyName = 'nhsNumber' | 'upn';
type Variant = `${KeyName}:${ScopedBy}`;
const variant = (key: FrontDoorKey, scope: RelationshipScope): Variant =>
  `${'nhsNumber' in key ? 'nhsNumber' : 'upn'}:${scopedBy(scope)}`;
const frontDoorParameters = (key: FrontDoorKey, scope: RelationshipScope, at: Date) => ({
  key: 'nhsNumber' in key ? key.nhsNumber : key.upn,
  ...accessFactsParameters(scope, at),
});
const keyColumns = { nhsNumber: children.nhsNumber, upn: children.upn };
const isLiveWithKey = (key: KeyName) => and(eq(keyColumns[key], sql.placeholder('key')), isNull(children.mergedInto));

/** One prepared statement per key column × relationship scope. */
function perVariant<Q>(build: (key: KeyName, by: ScopedBy) => (db: DbOrTx) => Q): Record<Variant, (db: DbOrTx) => Q> {
  const keys: KeyName[] = ['nhsNumber', 'upn'];
  const scopes: ScopedBy[] = ['organisation', 'practitioner'];
  return Object.fromEntries(keys.flatMap((key) => scopes.map((by) => [`${key}:${by}`, build(key, by)]))) as Record<
    Variant,
    (db: DbOrTx) => Q
  >;
}

const liveWithFacts = perVariant((key, by) =>
  preparedOn((db) =>
    db
      .select({ child: children, ...accessFactsFields(by) })
      .from(children)
      .where(isLiveWithKey(key))
      .prepare(`live_child_by_${key}_with_access_facts_by_${by}`),
  ),
);

const liveWithFactsAndOpenEha = perVariant((key, by) =>
  preparedOn((db) =>
    db
      .select({ child: children, ...accessFactsFields(by), ...openEhaWithPartsFields })
      .from(children)
      .leftJoin(ehas, openEhaOf(children.id))
      .where(isLiveWithKey(key))
      .prepare(`live_child_by_${key}_with_open_eha_and_access_facts_by_${by}`),
  ),
);

export async function findLiveByNhsNumber(db: DbOrTx, nhsNumber: string): Promise<ChildRow | null> {
  const [row] = await liveByNhsNumber(db).execute({ nhsNumber });
  return row ?? null;
}

export async function findLiveByUpn(db: DbOrTx, upn: string): Promise<ChildRow | null> {
  const [row] = await liveByUpn(db).execute({ upn });
  return row ?? null;
}

export async function findLiveByMatchKey(db: DbOrTx, key: string): Promise<ChildRow[]> {
  return db
    .select()
    .from(children)
    .where(and(eq(children.matchKey, key), isNull(children.mergedInto)));
}

/**
 * Every live record sharing the NHS number, the UPN or the match key, in ONE statement: one
 * snapshot, so a record committed by a concurrent registration is seen by all three rules or by
 * none (separate queries could miss it by NHS number and then find it by name — a false "probable").
 */
export async function findLiveMatchCandidates(
  db: DbOrTx,
  keys: { nhsNumber?: string | null; upn?: string | null; matchKey: string },
): Promise<ChildRow[]> {
  const byKey = [eq(children.matchKey, keys.matchKey)];
  if (keys.nhsNumber) byKey.push(eq(children.nhsNumber, keys.nhsNumber));
  if (keys.upn) byKey.push(eq(children.upn, keys.upn));
  return db
    .select()
    .from(children)
    .where(and(isNull(children.mergedInto), or(...byKey)))
    .orderBy(asc(children.id));
}

export async function findByIds(db: DbOrTx, ids: readonly string[]): Promise<ChildRow[]> {
  if (ids.length === 0) return [];
  return db
    .select()
    .from(children)
    .where(inArray(children.id, [...ids]));
}

/** Follows `merged_into` redirects to the live record (merges may chain). */
export async function resolveLiveId(db: DbOrTx, id: string): Promise<string | null> {
  const result = await db.execute<{ id: string }>(sql`
    with recursive chain(id, merged_into, depth) as (
      select id, merged_into, 0 from ${children} where id = ${id}
      union all
      select c.id, c.merged_into, chain.depth + 1 from ${children} c join chain on c.id = chain.merged_into where chain.depth < 20
    )
    select id from chain where merged_into is null limit 1`);
  return rowsOf<{ id: string }>(result)[0]?.id ?? null;
}

/** The live record an id resolves to (following merges), in one statement: a missing id costs what a held one does. */
export async function findLiveById(db: DbOrTx, id: string): Promise<ChildRow | null> {
  const [row] = await db
    .select()
    .from(children)
    .where(
      eq(
        children.id,
        sql`(
    with recursive chain(id, merged_into, depth) as (
      select id, merged_into, 0 from ${children} where id = ${id}
      union all
      select c.id, c.merged_into, chain.depth + 1 from ${children} c join chain on c.id = chain.merged_into where chain.depth < 20
    )
    select id from chain where merged_into is null limit 1)`,
      ),
    );
  return row ?? null;
}

/**
 * The live record each id resolves to (following merges), for many ids in ONE statement: the
 * batched form of `resolveLiveId` + `findByIds`, behind the per-request child loader.
 */
export async function findLiveByIds(
  db: DbOrTx,
  ids: readonly string[],
): Promise<(ChildRow & { requestedId: string })[]> {
  if (ids.length === 0) return [];
  const result = await db.execute<{ requested_id: string; live_id: string }>(sql`
    with recursive chain(requested_id, id, merged_into, depth) as (
      select id, id, merged_into, 0 from ${children} where ${inArray(children.id, [...ids])}
      union all
      select chain.requested_id, c.id, c.merged_into, chain.depth + 1 from ${children} c join chain on c.id = chain.merged_into where chain.depth < 20
    )
    select requested_id, id as live_id from chain where merged_into is null`);
  const links = rowsOf<{ requested_id: string; live_id: string }>(result);
  const rows = await findByIds(db, [...new Set(links.map((l) => l.live_id))]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return links.flatMap((l) => {
    const row = byId.get(l.live_id);
    return row ? [{ ...row, requestedId: l.requested_id }] : [];
  });
}

export async function insertChild(db: DbOrTx, row: NewChildRow): Promise<ChildRow> {
  const [created] = await db.insert(children).values(row).returning();
  return created!;
}

/** Live children matching `where`, ordered by id, after the cursor: keyset pagination. */
export async function listLive(db: DbOrTx, where: SQL, after: string | null, limit: number): Promise<ChildRow[]> {
  return db
    .select()
    .from(children)
    .where(and(isNull(children.mergedInto), where, after ? gt(children.id, after) : undefined))
    .orderBy(asc(children.id))
    .limit(limit);
}
/** What the hub's own trace of a child's NHS number found, with its provenance. */
export interface NhsTraceUpdate {
  nhsNumber: string;
  tracedAt: Date;
  tracedBy: string;
  score: number;
  source: string;
  addressRestricted: boolean;
}

/** Stores a traced NHS number and its provenance on the live record, locked against a concurrent change. */
export async function recordNhsTrace(tx: DbOrTx, id: string, trace: NhsTraceUpdate): Promise<ChildRow> {
  const [row] = await tx
    .update(children)
    .set({
      nhsNumber: trace.nhsNumber,
      nhsNumberTraced: true,
      nhsNumberTracedAt: trace.tracedAt,
      nhsNumberTracedBy: trace.tracedBy,
      nhsNumberTraceScore: trace.score,
      nhsNumberTraceSource: trace.source,
      addressRestricted: trace.addressRestricted,
      updatedAt: trace.tracedAt,
      version: sql`${children.version} + 1`,
    })
    .where(and(eq(children.id, id), isNull(children.mergedInto)))
    .returning();
  return row!;
}

/** The live record other than `id` holding this NHS number, if any. */
export async function otherLiveHolderOf(db: DbOrTx, nhsNumber: string, id: string): Promise<string | null> {
  const row = await findLiveByNhsNumber(db, nhsNumber);
  return row && row.id !== id ? row.id : null;
}
