/** SQL of the access audit: the chained batch insert, and the reads behind the DPO's queries. */
import { and, asc, desc, eq, gt, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import { accessAudit, children } from '../../schema';
import { isUniqueViolation, rowsOf, type Db, type DbOrTx, type Tx } from '../db';
import { auditRowHash, GENESIS_HASH, type HashableAuditRow } from './audit-hash';

export type AuditRow = typeof accessAudit.$inferSelect;

/**
 * The chain's last hash as this process last wrote it, per database handle. An append links to
 * it without reading first; when another writer (another instance, a transaction) has appended
 * since, the unique index on prev_hash refuses the insert.
 */
const knownHeads = new WeakMap<DbOrTx, string>();
/** Key of the transaction-level advisory lock that appenders who lost a race queue on. */
const CHAIN_LOCK = 0x0a0d17;
/** Links lost under the lock before giving up: only first-try appenders can still race it. */
const MAX_LINK_ATTEMPTS = 20;

/**
 * Appends rows to the chain. The common case is ONE statement: a multi-row INSERT linked to the
 * head this process last wrote, made only if the chain lock is free at that moment (it is then
 * held until the statement commits). An append that finds the lock taken, that lost a race, or
 * that knows no head yet queues on the chain lock, reads the head and links there.
 *
 * Why the one-statement append tries the lock: an appender waiting on the lock must not be
 * overtaken forever. Without that check, new one-statement appends (other instances, or requests
 * without group commit) kept claiming the head it had just read, and after 20 lost links in a
 * row the request failed. `access_audit_prev_hash_uq` still lets exactly one row claim a
 * predecessor, so no writer can fork the chain whatever it does. A successor is written only
 * after its predecessor committed, so seq order is chain order.
 */
export async function appendAuditRows(db: Db, rows: HashableAuditRow[]): Promise<void> {
  if (rows.length === 0) return;
  const known = knownHeads.get(db);
  if (known !== undefined) {
    const chained = chain(known, rows);
    try {
      const inserted = rowsOf(await db.execute(sql`${insertLinked(chained, sql`where (select pg_try_advisory_xact_lock(${CHAIN_LOCK}))`)} returning 1`));
      if (inserted.length === chained.length) {
        knownHeads.set(db, chained.at(-1)!.hash);
        return;
      }
      if (inserted.length !== 0) throw new Error(`audit append wrote ${inserted.length} of ${chained.length} rows`);
    } catch (error) {
      knownHeads.delete(db);
      if (!isUniqueViolation(error)) throw error;
    }
  }
  knownHeads.set(db, await db.transaction((tx) => appendUnderLock(tx, rows)));
}

/**
 * The same inside a caller's transaction (the retention sweep, a mutation's own rows): the rows
 * commit or roll back with it, and the chain lock is held until then.
 */
export async function appendAuditRowsInTransaction(tx: Tx, rows: HashableAuditRow[]): Promise<void> {
  if (rows.length === 0) return;
  await appendUnderLock(tx, rows);
}

/** Links the rows to the head read under the chain lock; a lost link rolls back its savepoint only. Returns the new head. */
async function appendUnderLock(tx: Tx, rows: HashableAuditRow[]): Promise<string> {
  await tx.execute(sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`);
  for (let attempt = 1; ; attempt++) {
    try {
      return await tx.transaction(async (savepoint) => {
        const chained = chain(await chainHead(savepoint), rows);
        await savepoint.execute(insertLinked(chained));
        return chained.at(-1)!.hash;
      });
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= MAX_LINK_ATTEMPTS) throw error;
    }
  }
}

type LinkedRow = HashableAuditRow & { prevHash: string; hash: string };

/**
 * The rows as one JSON parameter, whatever their number: one short statement instead of 18
 * parameters a row (the batch can be hundreds of rows), in chain order — `ord` orders the
 * insert, so seq follows the links. `condition` is evaluated once for the whole statement (an
 * uncorrelated subquery: a one-time filter), so the rows go in all together or not at all.
 */
function insertLinked(rows: LinkedRow[], condition: SQL = sql``): SQL {
  return sql`insert into ${accessAudit} (request_id, occurred_at, caller_subject, caller_organisation_id, caller_role, client_id,
      purpose, operation, operation_name, child_id, categories_returned, fields_returned, fields_redacted, basis, changes, flags, prev_hash, hash)
    select r.request_id, r.occurred_at, r.caller_subject, r.caller_organisation_id, r.caller_role, r.client_id,
      r.purpose, r.operation, r.operation_name, r.child_id, r.categories_returned, r.fields_returned, r.fields_redacted, r.basis, r.changes, r.flags, r.prev_hash, r.hash
    from rows from (jsonb_to_recordset(${JSON.stringify(rows.map(asRecord))}::jsonb) as (request_id text, occurred_at timestamptz,
      caller_subject text, caller_organisation_id uuid, caller_role text, client_id text, purpose text, operation text, operation_name text,
      child_id uuid, categories_returned text[], fields_returned text[], fields_redacted jsonb, basis jsonb, changes jsonb, flags text[],
      prev_hash text, hash text)) with ordinality as r(request_id, occurred_at, caller_subject, caller_organisation_id, caller_role,
      client_id, purpose, operation, operation_name, child_id, categories_returned, fields_returned, fields_redacted, basis, changes,
      flags, prev_hash, hash, ord)
    ${condition}
    order by r.ord`;
}

function asRecord(row: LinkedRow): Record<string, unknown> {
  return {
    request_id: row.requestId, occurred_at: row.occurredAt.toISOString(), caller_subject: row.callerSubject,
    caller_organisation_id: row.callerOrganisationId, caller_role: row.callerRole, client_id: row.clientId, purpose: row.purpose,
    operation: row.operation, operation_name: row.operationName, child_id: row.childId, categories_returned: row.categoriesReturned,
    fields_returned: row.fieldsReturned, fields_redacted: row.fieldsRedacted, basis: row.basis, changes: row.changes, flags: row.flags,
    prev_hash: row.prevHash, hash: row.hash,
  };
}

async function chainHead(db: DbOrTx): Promise<string> {
  const [last] = await db.select({ hash: accessAudit.hash }).from(accessAudit).orderBy(desc(accessAudit.seq)).limit(1);
  return last?.hash ?? GENESIS_HASH;
}

function chain(prevHash: string, rows: HashableAuditRow[]): LinkedRow[] {
  return rows.map((row) => {
    const hash = auditRowHash(prevHash, row);
    const linked = { ...row, prevHash, hash };
    prevHash = hash;
    return linked;
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
