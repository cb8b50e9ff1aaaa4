/** SQL of the access audit: the chained batch insert, and the reads behind the DPO's queries. */
import { and, asc, desc, eq, gt, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import { accessAudit, children } from '../../schema';
import { rowsOf, type Db, type DbOrTx } from '../db';
import { auditRowHash, GENESIS_HASH, type HashableAuditRow } from './audit-hash';

export type AuditRow = typeof accessAudit.$inferSelect;

/** Key of the transaction-level advisory lock that serialises appends to the one chain. */
const CHAIN_LOCK = 0x0a0d17;

/**
 * Appends rows to the chain in one transaction and one INSERT. The advisory lock orders
 * concurrent appenders (across instances too), so each batch links to the true last row.
 * Given a transaction (the retention sweep), the rows commit or roll back with it.
 */
export async function appendAuditRows(db: DbOrTx, rows: HashableAuditRow[]): Promise<void> {
  if (rows.length === 0) return;
  await (db as Db).transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
    const [last] = await tx.select({ hash: accessAudit.hash }).from(accessAudit).orderBy(desc(accessAudit.seq)).limit(1);
    let prevHash = last?.hash ?? GENESIS_HASH;
    const chained = rows.map((row) => {
      const hash = auditRowHash(prevHash, row);
      const linked = { ...row, prevHash, hash };
      prevHash = hash;
      return linked;
    });
    await tx.insert(accessAudit).values(chained);
  });
}

/** First and last seq of the rows written in [from, to), or null when there are none. */
export async function seqRange(db: DbOrTx, from: Date, to: Date): Promise<{ first: number; last: number } | null> {
  const [row] = await db.select({
    first: sql<string | null>`min(${accessAudit.seq})`,
    last: sql<string | null>`max(${accessAudit.seq})`,
  }).from(accessAudit).where(and(gte(accessAudit.occurredAt, from), lt(accessAudit.occurredAt, to)));
  if (!row || row.first === null || row.last === null) return null;
  return { first: Number(row.first), last: Number(row.last) };
}

/** The stored hash of the row just before `seq` in the chain (seqs may have gaps), if any. */
export async function hashBefore(db: DbOrTx, seq: number): Promise<string | null> {
  const [row] = await db.select({ hash: accessAudit.hash }).from(accessAudit)
    .where(lt(accessAudit.seq, seq)).orderBy(desc(accessAudit.seq)).limit(1);
  return row?.hash ?? null;
}

/** One page of the chain in seq order: rows with afterSeq < seq <= lastSeq. */
export async function chainPage(db: DbOrTx, afterSeq: number, lastSeq: number, limit: number): Promise<AuditRow[]> {
  return db.select().from(accessAudit)
    .where(and(gt(accessAudit.seq, afterSeq), lte(accessAudit.seq, lastSeq)))
    .orderBy(asc(accessAudit.seq)).limit(limit);
}

export interface AccessLogFilter {
  childIds?: readonly string[];
  organisationId?: string;
  subject?: string;
}

/** Audit rows matching one filter in [from, to), in chain order after a seq: keyset pagination. */
export async function accessLogPage(db: DbOrTx, filter: AccessLogFilter, from: Date, to: Date, afterSeq: number | null, limit: number): Promise<AuditRow[]> {
  const who: SQL | undefined = filter.childIds ? inArray(accessAudit.childId, [...filter.childIds])
    : filter.organisationId ? eq(accessAudit.callerOrganisationId, filter.organisationId)
    : filter.subject !== undefined ? eq(accessAudit.callerSubject, filter.subject)
    : undefined;
  if (!who) return [];
  return db.select().from(accessAudit).where(and(
    who, gte(accessAudit.occurredAt, from), lt(accessAudit.occurredAt, to),
    afterSeq !== null ? gt(accessAudit.seq, afterSeq) : undefined,
  )).orderBy(asc(accessAudit.seq)).limit(limit);
}

/** Every audit row of the children, in chain order, read in pages. */
export async function* auditRowsOfChildren(db: DbOrTx, childIds: readonly string[], pageSize = 1000): AsyncGenerator<AuditRow[]> {
  let after = 0;
  for (;;) {
    const page = await db.select().from(accessAudit)
      .where(and(inArray(accessAudit.childId, [...childIds]), gt(accessAudit.seq, after)))
      .orderBy(asc(accessAudit.seq)).limit(pageSize);
    if (page.length === 0) return;
    yield page;
    after = page[page.length - 1]!.seq;
    if (page.length < pageSize) return;
  }
}

/**
 * The live record an id resolves to (following merges) and every id merged into it, directly or
 * through a chain of merges: audit rows keep the id they were written with.
 */
export async function mergeGroup(db: DbOrTx, id: string): Promise<{ liveId: string; ids: string[] } | null> {
  const live = rowsOf<{ id: string }>(await db.execute(sql`
    with recursive up(id, merged_into, depth) as (
      select id, merged_into, 0 from ${children} where id = ${id}
      union all
      select c.id, c.merged_into, up.depth + 1 from ${children} c join up on c.id = up.merged_into where up.depth < 20
    )
    select id from up where merged_into is null limit 1`))[0];
  if (!live) return null;
  const down = rowsOf<{ id: string }>(await db.execute(sql`
    with recursive down(id, depth) as (
      select id, 0 from ${children} where id = ${live.id}
      union all
      select c.id, down.depth + 1 from ${children} c join down on c.merged_into = down.id where down.depth < 20
    )
    select id from down`));
  return { liveId: live.id, ids: down.map((r) => r.id) };
}

/** Rows flagged (e.g. no_relationship, override_used) in [from, to), newest first. */
export async function flaggedRows(db: DbOrTx, flag: string, from: Date, to: Date, limit: number): Promise<AuditRow[]> {
  return db.select().from(accessAudit).where(and(
    sql`${flag} = any(${accessAudit.flags})`, gte(accessAudit.occurredAt, from), lt(accessAudit.occurredAt, to),
  )).orderBy(desc(accessAudit.seq)).limit(limit);
}

export interface VolumeRow {
  callerSubject: string;
  callerOrganisationId: string;
  callerRole: string;
  hourStart: Date;
  count: number;
}

/** Callers who touched more than `threshold` child records in one clock hour within [from, to). */
export async function volumeAbove(db: DbOrTx, threshold: number, from: Date, to: Date, limit: number): Promise<VolumeRow[]> {
  // As ISO text: drivers differ in how they hand back a computed timestamp.
  const hour = sql<string>`to_char(date_trunc('hour', ${accessAudit.occurredAt} at time zone 'UTC'), 'YYYY-MM-DD"T"HH24:00:00"Z"')`;
  const rows = await db.select({
    callerSubject: accessAudit.callerSubject,
    callerOrganisationId: accessAudit.callerOrganisationId,
    callerRole: accessAudit.callerRole,
    hourStart: hour,
    count: sql<number>`count(*)::int`,
  }).from(accessAudit)
    .where(and(gte(accessAudit.occurredAt, from), lt(accessAudit.occurredAt, to)))
    .groupBy(accessAudit.callerSubject, accessAudit.callerOrganisationId, accessAudit.callerRole, hour)
    .having(sql`count(*) > ${threshold}`)
    .orderBy(desc(sql`count(*)`))
    .limit(limit);
  return rows.map((r) => ({ ...r, hourStart: new Date(r.hourStart), count: Number(r.count) }));
}
